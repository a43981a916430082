import type { Socket } from 'node:net'
import type { FastifyBaseLogger } from 'fastify'
import { WebSocket, type RawData } from 'ws'
import { validateClose } from './close-frame.js'
import { WebSocketConnectionClosed } from './errors.js'
import { BinaryDataReceived, CloseReceived, TextDataReceived } from './events.js'
import type { Connections } from './connections.js'
import { joinHeartbeat, leaveHeartbeat, pongReceived, type HeartbeatHooks } from './heartbeat.js'
import { checkBytes, checkText } from './payload.js'
import { kRelicSocket } from './symbols.js'
import type { SubscriberHooks } from './topics.js'
import { drained, releaseDrain } from './send-buffer.js'
import { batchWrites, flushIfFull } from './write-batch.js'
import { checkPingInterval, type ResolvedWebSocketOptions } from './websocket-options.js'
import { WebSocketEvents, endEvents, pushEvent, type EventsOwnerHooks } from './websocket-events.js'

// A close frame without a code reaches `ws` as 1005; Relic reports it as "no code".
const NO_STATUS = 1005
const GOING_AWAY = 1001
const POLICY_VIOLATION = 1008

/** Closes with a server-side code (1001, 1011) that users may not send; a no-op once closed. */
export let closeWith: (ws: RelicWebSocket, code: number, reason: string) => void
/** Logs a failure of the route's callback (or of an events listener) and closes with 1011. */
export let failWith: (ws: RelicWebSocket, error: unknown) => void

// The `ws` socket points back at its RelicWebSocket, so that one set of listener functions
// serves every connection: no closures per connection (see bench ws-idle).
type Owned = WebSocket & { [kRelicSocket]: RelicWebSocket }
let onMessage: (this: WebSocket, data: RawData, isBinary: boolean) => void
let onClose: (this: WebSocket, code: number, reason: Buffer) => void
let onError: (this: WebSocket, error: Error) => void
let onPong: (this: WebSocket) => void
const owner = (raw: WebSocket): RelicWebSocket => (raw as Owned)[kRelicSocket]

// What the events queue asks of its socket: a failed listener closes with 1011; a full buffer
// pauses reading, so that a flooding peer meets TCP backpressure instead of filling memory.
const HOOKS: EventsOwnerHooks<RelicWebSocket> = {
  fail: (ws, error) => failWith(ws, error),
  pause: (ws) => ws.raw.pause(),
  resume: (ws) => ws.raw.resume()
}

let HEARTBEAT: HeartbeatHooks<RelicWebSocket>
let TOPIC_HOOKS: SubscriberHooks<RelicWebSocket>
const NO_TOPICS: ReadonlySet<string> = new Set()
// Shared, not an object per subscriber per message.
const AS_BINARY = { binary: true } as const
const AS_TEXT = { binary: false } as const

/**
 * One accepted WebSocket, as a `WebSocketUpgrade` callback receives it.
 * @example
 * new WebSocketUpgrade(async (ws) => {
 *   ws.sendText('hello')
 *   for await (const event of ws.events) {
 *     if (event.type === 'text') ws.sendText(`Echo: ${event.text}`)
 *   }
 * })
 */
export class RelicWebSocket {
  /** The incoming events; one consumer, buffered until it starts. */
  readonly events: WebSocketEvents
  /** The underlying `ws` socket, for what this class does not cover. */
  readonly raw: WebSocket
  // The connection under `raw`, which `ws` does not expose; its writes are batched.
  #socket: Socket
  #log: FastifyBaseLogger
  #connections: Connections
  #closedLocally = false
  #pingInterval: number | null = null
  // Set when the heartbeat gave up on the peer: its close is reported as 1001, not `ws`'s 1006.
  #lost = false
  #openedAt = performance.now()
  // Allocated on the first subscribe: a socket that uses no topic pays nothing.
  #topics: Set<string> | undefined

  static {
    closeWith = (ws, code, reason) => { ws.#closeWith(code, reason) }
    failWith = (ws, error) => {
      // Sending into a connection the peer has just closed is a race every echo loop can
      // lose, not a bug: the events said, or were about to say, that the peer left.
      if (error instanceof WebSocketConnectionClosed && !ws.#closedLocally) {
        ws.#log.debug({ err: error }, 'WebSocket callback sent after the peer closed')
      } else {
        ws.#log.error({ err: error }, 'WebSocket callback failed; closing the connection with 1011')
      }
      ws.#closeWith(1011, 'Internal Error')
    }
    onMessage = function (data, isBinary) {
      pushEvent(owner(this).events, isBinary ? new BinaryDataReceived(data as Buffer) : new TextDataReceived(data.toString()))
    }
    onClose = function (code, reason) {
      const ws = owner(this)
      if (!ws.#closedLocally) pushEvent(ws.events, new CloseReceived(code === NO_STATUS ? undefined : code, reason.toString()))
      endEvents(ws.events)
      if (ws.#pingInterval !== null) leaveHeartbeat(ws, ws.#pingInterval)
      if (ws.#topics !== undefined) for (const topic of ws.#topics) ws.#connections.topics.unsubscribe(topic, ws)
      ws.#topics = undefined
      ws.#connections.deleteSocket(ws)
      // One line per connection, as Fastify logs one per request (at its level, with its reqId).
      const duration = Math.round(performance.now() - ws.#openedAt)
      ws.#log.info({ code: ws.#lost ? GOING_AWAY : code, reason: reason.toString(), duration }, 'WebSocket closed')
    }
    onPong = function () {
      const ws = owner(this)
      if (ws.#pingInterval !== null) pongReceived(ws, ws.#pingInterval)
    }
    TOPIC_HOOKS = {
      deliver: (ws, message, limit) => {
        if (ws.raw.bufferedAmount > limit && !ws.isClosed) {
          ws.#log.warn({ bufferedAmount: ws.raw.bufferedAmount, limit }, 'WebSocket subscriber too slow for its topics; closing with 1008')
          ws.#closeWith(POLICY_VIOLATION, 'Subscriber too slow')
          return false
        }
        // The bytes were encoded once for every subscriber; `binary: false` sends them as text.
        return ws.#send(message.bytes, message.binary ? AS_BINARY : AS_TEXT, false)
      }
    }
    HEARTBEAT = {
      paused: (ws) => ws.raw.isPaused,
      ping: (ws) => {
        if (ws.isClosed) return false
        ws.raw.ping()
        return true
      },
      // As Relic: the peer is gone as far as the callback is concerned, with 1001 "going away".
      lost: (ws) => {
        ws.#log.debug({ pingInterval: ws.#pingInterval }, 'WebSocket peer did not answer a ping; terminating')
        ws.#lost = true
        ws.#pingInterval = null
        pushEvent(ws.events, new CloseReceived(GOING_AWAY, 'Ping timeout'))
        endEvents(ws.events)
        ws.raw.terminate()
      }
    }
    // A peer that vanishes or sends a bad frame is the peer's problem, not a server error; `ws`
    // closes the connection itself, and without a listener the error would crash the process.
    onError = function (error) {
      owner(this).#log.debug({ err: error }, 'WebSocket connection error')
    }
  }

  /**
   * @param log the request's logger: errors of the route's callback and listeners go there.
   * @param connections the app's open connections, which this one joins until it closes.
   */
  constructor (raw: WebSocket, log: FastifyBaseLogger, connections: Connections, options: ResolvedWebSocketOptions) {
    this.raw = raw
    this.#socket = (raw as WebSocket & { _socket: Socket })._socket
    this.#log = log
    this.#connections = connections
    connections.addSocket(this)
    this.events = new WebSocketEvents(this, HOOKS, options.maxBufferedEvents, options.maxBufferedBytes)
    // Listeners go on at once, so messages that arrive while the callback is still awaiting
    // something are buffered rather than lost.
    raw.binaryType = 'nodebuffer'
    ;(raw as Owned)[kRelicSocket] = this
    raw.on('message', onMessage)
    raw.on('close', onClose)
    raw.on('error', onError)
    this.pingInterval = options.pingInterval
  }

  /**
   * Milliseconds between pings, or `null` for none. A peer whose pong has not come by the next
   * ping is cut off, and `events` ends with a `CloseReceived` of code 1001.
   */
  get pingInterval (): number | null {
    return this.#pingInterval
  }

  set pingInterval (interval: number | null) {
    checkPingInterval(interval, 'ws.pingInterval')
    if (this.#pingInterval !== null) leaveHeartbeat(this, this.#pingInterval)
    if (interval === null || this.isClosed) {
      this.#pingInterval = null
      return
    }
    // Off, then on: one listener however often the interval changes.
    this.raw.off('pong', onPong).on('pong', onPong)
    this.#pingInterval = interval
    joinHeartbeat(this, interval, HEARTBEAT)
  }

  /** Bytes sent but not yet handed to the operating system. */
  get bufferedAmount (): number {
    return this.raw.bufferedAmount
  }

  /**
   * Resolves once the bytes waiting to be sent have fallen to the socket's high-water mark
   * (16 KiB), or the connection has closed: `await` it between sends so that a fast producer
   * does not fill memory with what a slow peer has not read.
   * @example
   * for (const chunk of chunks) { ws.sendBytes(chunk); await ws.drained() }
   */
  drained (): Promise<void> {
    return drained(this.raw)
  }

  /**
   * Receives what is published to `topic`, on this instance or (with a backplane) any other,
   * until `unsubscribe` or the close. A no-op once closed.
   */
  subscribe (topic: string): void {
    if (this.isClosed) return
    this.#connections.topics.subscribe(topic, this, TOPIC_HOOKS)
    ;(this.#topics ??= new Set()).add(topic)
  }

  /** Stops receiving what is published to `topic`. */
  unsubscribe (topic: string): void {
    if (this.#topics?.delete(topic) === true) this.#connections.topics.unsubscribe(topic, this)
  }

  /** The topics this socket is subscribed to. */
  get topics (): ReadonlySet<string> {
    return this.#topics ?? NO_TOPICS
  }

  /**
   * Publishes to every subscriber of `topic` but this socket (as in Bun and uWebSockets):
   * text, bytes, or a value as JSON. Same as `app.relic.publish(topic, data, { except: ws })`.
   */
  publish (topic: string, data: unknown): void {
    this.#connections.topics.publish(topic, data, { except: this })
  }

  /** The subprotocol the handshake agreed on, or `''`. */
  get protocol (): string {
    return this.raw.protocol
  }

  /** True once a close was sent or received, or the connection dropped. */
  get isClosed (): boolean {
    return this.raw.readyState !== WebSocket.OPEN
  }

  /** Sends a text message; throws `WebSocketConnectionClosed` once closed. */
  sendText (text: string): void {
    this.#send(checkText(text, 'sendText'), AS_TEXT, true)
  }

  /** Sends a binary message; throws `WebSocketConnectionClosed` once closed. */
  sendBytes (bytes: Uint8Array): void {
    this.#send(checkBytes(bytes, 'sendBytes'), AS_BINARY, true)
  }

  /** Sends a text message if the connection is open; returns whether it was sent. */
  trySendText (text: string): boolean {
    return this.#send(checkText(text, 'trySendText'), AS_TEXT, false)
  }

  /** Sends a binary message if the connection is open; returns whether it was sent. */
  trySendBytes (bytes: Uint8Array): boolean {
    return this.#send(checkBytes(bytes, 'trySendBytes'), AS_BINARY, false)
  }

  // Every send, batched per turn of the loop (write-batch.ts); once closed, throws or returns false.
  #send (data: string | Uint8Array, options: typeof AS_TEXT | typeof AS_BINARY, orThrow: boolean): boolean {
    if (this.isClosed) {
      if (orThrow) throw new WebSocketConnectionClosed()
      return false
    }
    const socket = this.#socket
    batchWrites(socket)
    this.raw.send(data, options)
    flushIfFull(socket)
    return true
  }

  /**
   * Starts the closing handshake. `code` is 1000 or 3000-4999 (none: the peer sees 1005), the
   * reason at most 123 UTF-8 bytes and only with a code. `events` then ends without a
   * `CloseReceived`. Throws `WebSocketConnectionClosed` when already closed.
   */
  close (code?: number, reason?: string): void {
    validateClose(code, reason)
    if (this.isClosed) throw new WebSocketConnectionClosed()
    this.#closeWith(code, reason)
  }

  /** Like `close`, but returns false instead of throwing when already closed. */
  tryClose (code?: number, reason?: string): boolean {
    validateClose(code, reason)
    if (this.isClosed) return false
    this.#closeWith(code, reason)
    return true
  }

  #closeWith (code: number | undefined, reason: string | undefined): void {
    if (this.isClosed) return
    this.#closedLocally = true
    // Whatever arrives during the closing handshake is no longer wanted.
    endEvents(this.events)
    this.raw.close(code, reason)
    releaseDrain(this.raw)
  }
}
