import { FST_ERR_RELIC_INVALID_CALLBACK, FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION } from './errors.js'
import type { RelicWebSocket } from './relic-websocket.js'
import { brandResult } from './result.js'
import { DEFAULT_OPTIONS, resolveWebSocketOptions, type WebSocketOptions } from './websocket-options.js'

export type WebSocketCallback = (ws: RelicWebSocket) => void | Promise<void>

/** The options of an upgrade given none: the plugin's apply as they are. */
export const NO_OPTIONS: WebSocketOptions = Object.freeze({})

/**
 * A handler result: accept the WebSocket handshake, then run `callback` with the socket.
 * Return a `Response` instead to refuse the upgrade with a real HTTP status.
 * @example
 * app.relic.get('/ws', async (req) => (await isAllowed(req))
 *   ? new WebSocketUpgrade((ws) => { ws.sendText('welcome') }, { protocols: ['chat.v1'] })
 *   : new Response('no', { status: 401 }))
 */
export class WebSocketUpgrade {
  /** Runs once the handshake is complete; the server does not wait for it. */
  readonly callback: WebSocketCallback
  /** This route's options, over the plugin-wide ones. */
  readonly options: WebSocketOptions

  constructor (callback: WebSocketCallback, options?: WebSocketOptions) {
    if (typeof callback !== 'function') throw new FST_ERR_RELIC_INVALID_CALLBACK('WebSocketUpgrade')
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw new FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION('new WebSocketUpgrade', 'the options must be an object')
    }
    // Checked here, so that a bad option fails where it is written, with a coded error.
    if (options !== undefined) resolveWebSocketOptions(options, DEFAULT_OPTIONS, 'new WebSocketUpgrade')
    this.callback = callback
    this.options = options ?? NO_OPTIONS
  }
}

brandResult(WebSocketUpgrade, 'websocket-upgrade')
