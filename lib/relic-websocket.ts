import type { FastifyBaseLogger } from 'fastify'
import { WebSocket, type RawData } from 'ws'
import {
  FST_ERR_RELIC_INVALID_CLOSE_CODE, FST_ERR_RELIC_INVALID_CLOSE_REASON, FST_ERR_RELIC_INVALID_PAYLOAD,
  WebSocketConnectionClosed
} from './errors.js'
import { BinaryDataReceived, CloseReceived, TextDataReceived } from './events.js'
import { WebSocketEvents, endEvents, pushEvent } from './websocket-events.js'

const MAX_REASON_BYTES = 123
// A close frame without a code reaches `ws` as 1005; Relic reports it as "no code".
const NO_STATUS = 1005

/** Closes with a server-side code (1001, 1011) that users may not send; a no-op once closed. */
export let closeWith: (ws: RelicWebSocket, code: number, reason: string) => void

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
  #closedLocally = false

  static {
    closeWith = (ws, code, reason) => { ws.#closeWith(code, reason) }
  }

  /** @param onError receives errors of `events.listen` callbacks, as of the route's callback. */
  constructor (raw: WebSocket, log: FastifyBaseLogger, onError: (error: unknown) => void) {
    this.raw = raw
    this.events = new WebSocketEvents(onError)
    // Listeners go on at once, so messages that arrive while the callback is still awaiting
    // something are buffered rather than lost.
    raw.binaryType = 'nodebuffer'
    raw.on('message', (data: RawData, isBinary: boolean) => {
      pushEvent(this.events, isBinary ? new BinaryDataReceived(data as Buffer) : new TextDataReceived(data.toString()))
    })
    raw.on('close', (code: number, reason: Buffer) => {
      if (!this.#closedLocally) pushEvent(this.events, new CloseReceived(code === NO_STATUS ? undefined : code, reason.toString()))
      endEvents(this.events)
    })
    // A peer that vanishes or sends a bad frame is the peer's problem, not a server error; `ws`
    // closes the connection itself, and without a listener the error would crash the process.
    raw.on('error', (error: Error) => { log.debug({ err: error }, 'WebSocket connection error') })
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
    if (typeof text !== 'string') throw new FST_ERR_RELIC_INVALID_PAYLOAD('sendText', 'a string')
    if (this.isClosed) throw new WebSocketConnectionClosed()
    this.raw.send(text)
  }

  /** Sends a binary message; throws `WebSocketConnectionClosed` once closed. */
  sendBytes (bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new FST_ERR_RELIC_INVALID_PAYLOAD('sendBytes', 'a Uint8Array')
    if (this.isClosed) throw new WebSocketConnectionClosed()
    this.raw.send(bytes)
  }

  /** Sends a text message if the connection is open; returns whether it was sent. */
  trySendText (text: string): boolean {
    if (typeof text !== 'string') throw new FST_ERR_RELIC_INVALID_PAYLOAD('trySendText', 'a string')
    if (this.isClosed) return false
    this.raw.send(text)
    return true
  }

  /** Sends a binary message if the connection is open; returns whether it was sent. */
  trySendBytes (bytes: Uint8Array): boolean {
    if (!(bytes instanceof Uint8Array)) throw new FST_ERR_RELIC_INVALID_PAYLOAD('trySendBytes', 'a Uint8Array')
    if (this.isClosed) return false
    this.raw.send(bytes)
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
    this.raw.close(code, reason)
  }
}

function validateClose (code: number | undefined, reason: string | undefined): void {
  if (code !== undefined && code !== 1000 && !(Number.isInteger(code) && code >= 3000 && code <= 4999)) {
    throw new FST_ERR_RELIC_INVALID_CLOSE_CODE(code)
  }
  if (reason === undefined || reason === '') return
  if (typeof reason !== 'string') throw new FST_ERR_RELIC_INVALID_CLOSE_REASON('it must be a string')
  if (code === undefined) throw new FST_ERR_RELIC_INVALID_CLOSE_REASON('a reason needs a close code')
  if (Buffer.byteLength(reason) > MAX_REASON_BYTES) {
    throw new FST_ERR_RELIC_INVALID_CLOSE_REASON(`it is longer than ${MAX_REASON_BYTES} UTF-8 bytes`)
  }
}
