import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws'
import { kHandshake, kWebSocketServers } from './symbols.js'
import type { ResolvedWebSocketOptions } from './websocket-options.js'

/** What an upgrade request carries to the shared `ws` hooks below. */
interface Handshake {
  /** The agreed subprotocol, or `undefined` for the user's `handleProtocols` or `ws`'s default. */
  protocol: string | undefined
  headerLines: readonly string[]
}

type WithHandshake = IncomingMessage & { [kHandshake]?: Handshake }

/**
 * The `ws` servers that complete relic handshakes: one per distinct `maxPayload` and
 * `compression`, as `ws` takes those per server, derived from the @fastify/websocket server's
 * options (so `websocket: { options }` still applies). Subprotocol and extra headers are per
 * request, and reach `ws`'s hooks on the request.
 */
export class WebSocketServers {
  /** The plugin-wide WebSocket options, which a route's options override. */
  readonly defaults: ResolvedWebSocketOptions
  readonly #base: WebSocketServer
  readonly #servers = new Map<string, WebSocketServer>()

  constructor (base: WebSocketServer, defaults: ResolvedWebSocketOptions) {
    this.#base = base
    this.defaults = defaults
  }

  /** Completes the handshake with `options`; `done` gets the `ws` socket. */
  handleUpgrade (request: IncomingMessage, socket: Duplex, head: Buffer, options: ResolvedWebSocketOptions,
    protocol: string | undefined, done: (raw: WebSocket) => void): void {
    (request as WithHandshake)[kHandshake] = { protocol, headerLines: options.headerLines }
    this.#serverFor(options).handleUpgrade(request, socket, head, done)
  }

  #serverFor ({ maxPayload, compression }: ResolvedWebSocketOptions): WebSocketServer {
    const key = `${maxPayload ?? ''}|${compression === undefined ? '' : JSON.stringify(compression)}`
    let server = this.#servers.get(key)
    if (server === undefined) this.#servers.set(key, server = this.#derive(maxPayload, compression))
    return server
  }

  #derive (maxPayload: number | undefined, compression: ResolvedWebSocketOptions['compression']): WebSocketServer {
    const base = this.#base.options
    const userProtocols = base.handleProtocols
    const options: ServerOptions = {
      ...base,
      port: undefined,
      server: undefined,
      host: undefined,
      path: undefined,
      noServer: true,
      // fastify-relic tracks its connections itself (Connections); a second Set costs memory.
      clientTracking: false,
      maxPayload: maxPayload ?? base.maxPayload,
      perMessageDeflate: compression ?? base.perMessageDeflate,
      handleProtocols (offered, request) {
        const protocol = (request as WithHandshake)[kHandshake]?.protocol
        if (protocol !== undefined) return protocol
        // `ws`'s own default: a client that offers subprotocols fails a handshake that agrees none.
        return typeof userProtocols === 'function' ? userProtocols(offered, request) : offered.values().next().value as string
      }
    }
    const server = new WebSocketServer(options)
    server.on('headers', addHeaders)
    return server
  }
}

function addHeaders (headers: string[], request: IncomingMessage): void {
  const lines = (request as WithHandshake)[kHandshake]?.headerLines
  if (lines !== undefined && lines.length > 0) headers.push(...lines)
}

/** The WebSocket servers of the app an instance belongs to. */
export function webSocketServersOf (instance: FastifyInstance): WebSocketServers {
  return (instance as unknown as { [kWebSocketServers]: WebSocketServers })[kWebSocketServers]
}
