import { FST_ERR_RELIC_INVALID_CALLBACK } from './errors.js'
import type { HijackChannel } from './hijack-channel.js'
import { brandResult } from './result.js'

export type HijackCallback = (channel: HijackChannel) => void | Promise<void>

/**
 * A handler result: take over the raw connection. Fastify writes nothing more; the callback
 * writes the HTTP head itself and owns the socket until it closes.
 * @example
 * app.relic.get('/custom', () => new Hijack((channel) => {
 *   channel.sink.add('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nhi')
 *   channel.sink.close()
 * }))
 */
export class Hijack {
  /** Runs with the connection; the server does not wait for it. */
  readonly callback: HijackCallback

  constructor (callback: HijackCallback) {
    if (typeof callback !== 'function') throw new FST_ERR_RELIC_INVALID_CALLBACK('Hijack')
    this.callback = callback
  }
}

brandResult(Hijack, 'hijack')
