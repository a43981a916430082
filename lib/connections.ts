import type { FastifyInstance, FastifyReply } from 'fastify'
import { FST_ERR_RELIC_CLOSING } from './errors.js'
import type { HijackChannel } from './hijack-channel.js'
import { closeWith, type RelicWebSocket } from './relic-websocket.js'
import { endStream, type ServerSentEvents } from './server-sent-events.js'
import { kConnections } from './symbols.js'
import type { Topics } from './topics.js'

const SHUTTING_DOWN = 1001

/** What Connections needs of an event stream's response (HTTP/1.1 or HTTP/2). */
interface StreamResponse {
  once: (event: 'close', listener: () => void) => unknown
  destroy: () => void
}

/**
 * The open relic WebSockets, hijacked connections and event streams of one app. On shutdown they
 * get a clean end (1001 "server shutting down", a flushed FIN, the end of the body) and up to the
 * grace period to finish it; whatever is still open then is cut, so `app.close()` always resolves.
 */
export class Connections {
  /** Milliseconds a closing connection may take before it is cut. */
  readonly gracePeriod: number
  #closing = false
  #sockets = new Set<RelicWebSocket>()
  #channels = new Set<HijackChannel>()
  // Each event stream and the response it is the body of, until that response has closed.
  #streams = new Map<ServerSentEvents, StreamResponse>()
  #emptied: (() => void) | undefined

  /** The app's topics, which its WebSockets and event streams subscribe to. */
  readonly topics: Topics

  constructor (gracePeriod: number, topics: Topics) {
    this.gracePeriod = gracePeriod
    this.topics = topics
  }

  /** Open WebSockets, hijacked connections and event streams. */
  get size (): number {
    return this.#sockets.size + this.#channels.size + this.#streams.size
  }

  /** Refuses a new upgrade or hijack once closing, with a 503 that also ends the connection. */
  refuseIfClosing (reply: FastifyReply): void {
    if (!this.#closing) return
    // Else a keep-alive client would hold the connection, and close(), until a timeout.
    reply.header('connection', 'close')
    throw new FST_ERR_RELIC_CLOSING()
  }

  addSocket (ws: RelicWebSocket): void {
    this.#sockets.add(ws)
  }

  deleteSocket (ws: RelicWebSocket): void {
    this.#sockets.delete(ws)
    this.#check()
  }

  addChannel (channel: HijackChannel): void {
    this.#channels.add(channel)
    channel.socket.once('close', () => {
      this.#channels.delete(channel)
      this.#check()
    })
  }

  /**
   * Tracks an event stream until its response has closed: sent whole, cut, or never sent (an
   * onSend hook that failed), which then ends the stream too, so that nothing waits on a body
   * nobody reads.
   */
  addStream (events: ServerSentEvents, response: StreamResponse): void {
    this.#streams.set(events, response)
    response.once('close', () => {
      endStream(events, true)
      this.#streams.delete(events)
      this.#check()
    })
  }

  async close (): Promise<void> {
    this.#closing = true
    for (const ws of this.#sockets) closeWith(ws, SHUTTING_DOWN, 'server shutting down')
    for (const channel of this.#channels) void channel.sink.close()
    // An event stream ends as a response does: its last bytes, then Fastify's end of the body.
    for (const events of this.#streams.keys()) endStream(events, false)
    if (this.size === 0) return
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      new Promise<void>((resolve) => { this.#emptied = resolve }),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, this.gracePeriod) })
    ])
    clearTimeout(timer)
    for (const ws of this.#sockets) ws.raw.terminate()
    for (const channel of this.#channels) channel.socket.destroy()
    // A client that does not read the end of its stream would hold Fastify's close forever.
    for (const response of this.#streams.values()) response.destroy()
  }

  #check (): void {
    if (this.size === 0) this.#emptied?.()
  }
}

/** The connections of the app an instance belongs to. */
export function connectionsOf (instance: FastifyInstance): Connections {
  return (instance as unknown as { [kConnections]: Connections })[kConnections]
}
