import { FST_ERR_RELIC_EVENTS_CONSUMED } from './errors.js'
import type { WebSocketEvent } from './events.js'

/** What `events.listen` returns: `cancel()` stops the delivery of further events. */
export interface EventSubscription {
  cancel (): void
}

export type EventListener = (event: WebSocketEvent) => void | Promise<void>

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true })

/** Feeds an event in; only the socket that owns the queue calls it. */
export let pushEvent: (events: WebSocketEvents, event: WebSocketEvent) => void
/** Ends the queue: no more events will come. */
export let endEvents: (events: WebSocketEvents) => void

/**
 * The events of one WebSocket, for exactly one consumer: either `for await` or `listen`.
 * Events that arrive before the consumer starts are buffered in order, never dropped; the buffer
 * is allocated only when a message arrives with nobody waiting, so an idle socket costs nothing.
 * @example
 * for await (const event of ws.events) {
 *   if (event.type === 'text') ws.sendText(`Echo: ${event.text}`)
 * }
 * // or
 * ws.events.listen((event) => { if (event.type === 'text') ws.sendText(event.text) })
 */
export class WebSocketEvents implements AsyncIterable<WebSocketEvent> {
  #buffer: WebSocketEvent[] | undefined
  #head = 0
  #waiting: ((result: IteratorResult<WebSocketEvent, undefined>) => void) | undefined
  #listener: EventListener | undefined
  #onListenerError: (error: unknown) => void
  #claimed = false
  #ended = false
  #detached = false

  // Friends of the owning socket: reachable from this module, absent from the public type.
  static {
    pushEvent = (events, event) => { events.#push(event) }
    endEvents = (events) => { events.#end() }
  }

  /** @param onListenerError receives what a `listen` callback throws or rejects with. */
  constructor (onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError
  }

  [Symbol.asyncIterator] (): AsyncIterator<WebSocketEvent, undefined> {
    this.#claim('iterating')
    return {
      next: () => this.#next(),
      return: () => this.#detach()
    }
  }

  /** Calls `listener` for each event, buffered ones first, in order. */
  listen (listener: EventListener): EventSubscription {
    this.#claim('listening')
    const buffer = this.#buffer
    this.#buffer = undefined
    this.#listener = listener
    if (buffer !== undefined) {
      for (let i = this.#head; i < buffer.length && !this.#detached; i++) this.#deliver(buffer[i] as WebSocketEvent)
    }
    return { cancel: () => { this.#detach() } }
  }

  #push (event: WebSocketEvent): void {
    if (this.#detached || this.#ended) return
    if (this.#listener !== undefined) return this.#deliver(event)
    const waiting = this.#waiting
    if (waiting !== undefined) {
      this.#waiting = undefined
      waiting({ value: event, done: false })
      return
    }
    (this.#buffer ??= []).push(event)
  }

  #end (): void {
    this.#ended = true
    const waiting = this.#waiting
    if (waiting !== undefined) {
      this.#waiting = undefined
      waiting(DONE)
    }
  }

  #claim (how: string): void {
    if (this.#claimed) throw new FST_ERR_RELIC_EVENTS_CONSUMED(how)
    this.#claimed = true
  }

  #next (): Promise<IteratorResult<WebSocketEvent, undefined>> {
    const buffer = this.#buffer
    if (buffer !== undefined && this.#head < buffer.length) {
      const value = buffer[this.#head] as WebSocketEvent
      // Reset instead of shifting: O(1) per event, and the array is reused for the next burst.
      if (++this.#head === buffer.length) {
        buffer.length = 0
        this.#head = 0
      }
      return Promise.resolve({ value, done: false })
    }
    if (this.#ended || this.#detached) return Promise.resolve(DONE)
    return new Promise((resolve) => { this.#waiting = resolve })
  }

  // The consumer left (`break` out of `for await`, or `cancel()`): later events are dropped.
  #detach (): Promise<IteratorResult<WebSocketEvent, undefined>> {
    this.#detached = true
    this.#buffer = undefined
    this.#listener = undefined
    return Promise.resolve(DONE)
  }

  #deliver (event: WebSocketEvent): void {
    try {
      const returned = (this.#listener as EventListener)(event)
      if (returned !== undefined && typeof returned.then === 'function') returned.then(undefined, this.#onListenerError)
    } catch (error) {
      this.#onListenerError(error)
    }
  }
}
