import { FST_ERR_RELIC_EVENTS_CONSUMED } from './errors.js'
import type { WebSocketEvent } from './events.js'

/** What `events.listen` returns: `cancel()` stops the delivery of further events. */
export interface EventSubscription {
  cancel (): void
}

export type EventListener = (event: WebSocketEvent) => void | Promise<void>

/**
 * What the queue asks of the socket that owns it. One shared object of functions taking the
 * owner, rather than closures per connection.
 */
export interface EventsOwnerHooks<Owner> {
  /** A `listen` callback threw or rejected. */
  fail (owner: Owner, error: unknown): void
  /** The buffer is full: stop reading the connection, so that TCP pushes back on the peer. */
  pause (owner: Owner): void
  /** The buffer has room again. */
  resume (owner: Owner): void
}

type Result = IteratorResult<WebSocketEvent, undefined>
type Waiter = (result: Result) => void

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true })
// Consumed slots at the head of a buffer that never empties are dropped past this many.
const COMPACT_AT = 256

// What a buffered event holds: bytes, or UTF-16 code units of text (what the string costs in memory).
const sizeOf = (event: WebSocketEvent): number =>
  event.type === 'binary' ? event.data.byteLength : event.type === 'text' ? event.text.length : 0

/** Feeds an event in; only the socket that owns the queue calls it. */
export let pushEvent: (events: WebSocketEvents, event: WebSocketEvent) => void
/** Ends the queue: no more events will come; buffered ones are still delivered. */
export let endEvents: (events: WebSocketEvents) => void
let nextEvent: (events: WebSocketEvents) => Promise<Result>
let detachEvents: (events: WebSocketEvents) => Promise<Result>

// The iterator `for await` drives: one small object, its methods on the prototype.
class EventIterator implements AsyncIterator<WebSocketEvent, undefined> {
  #events: WebSocketEvents
  constructor (events: WebSocketEvents) {
    this.#events = events
  }

  next (): Promise<Result> {
    return nextEvent(this.#events)
  }

  return (): Promise<Result> {
    return detachEvents(this.#events)
  }
}

/**
 * The events of one WebSocket, for exactly one consumer: either `for await` or `listen`.
 * Events that arrive before the consumer starts are buffered in order, never dropped; past
 * `maxBufferedEvents` events or `maxBufferedBytes` (64, 1 MiB by default) the connection is no
 * longer read until the consumer catches up. The buffer
 * is allocated only when a message arrives with nobody waiting, so an idle socket costs nothing.
 * @example
 * for await (const event of ws.events) {
 *   if (event.type === 'text') ws.sendText(`Echo: ${event.text}`)
 * }
 * // or
 * ws.events.listen((event) => { if (event.type === 'text') ws.sendText(event.text) })
 */
export class WebSocketEvents implements AsyncIterable<WebSocketEvent> {
  // Consumed slots before #head are cleared to undefined.
  #buffer: Array<WebSocketEvent | undefined> | undefined
  #head = 0
  #waiting: Waiter | undefined
  // Only when next() is called again before the last call settled; `for await` never does.
  #moreWaiting: Waiter[] | undefined
  #listener: EventListener | undefined
  #owner: unknown
  #hooks: EventsOwnerHooks<unknown>
  #maxEvents: number
  #maxBytes: number
  #bytes = 0
  #claimed = false
  #ended = false
  #detached = false
  #paused = false

  // Friends of the owning socket: reachable from this module, absent from the public type.
  static {
    pushEvent = (events, event) => { events.#push(event) }
    endEvents = (events) => { events.#end() }
    nextEvent = (events) => events.#next()
    detachEvents = (events) => events.#detach()
  }

  /**
   * @param maxEvents buffered events at which the owner is paused; it resumes at half of it.
   * @param maxBytes the same, in buffered bytes.
   */
  constructor (owner: unknown, hooks: EventsOwnerHooks<never>, maxEvents: number, maxBytes: number) {
    this.#owner = owner
    this.#hooks = hooks as EventsOwnerHooks<unknown>
    this.#maxEvents = maxEvents
    this.#maxBytes = maxBytes
  }

  [Symbol.asyncIterator] (): AsyncIterator<WebSocketEvent, undefined> {
    this.#claim('iterating')
    return new EventIterator(this)
  }

  /** Calls `listener` for each event, buffered ones first, in order. */
  listen (listener: EventListener): EventSubscription {
    this.#claim('listening')
    const buffer = this.#buffer
    this.#buffer = undefined
    this.#bytes = 0
    this.#listener = listener
    if (buffer !== undefined) {
      for (let i = this.#head; i < buffer.length && !this.#detached; i++) this.#deliver(buffer[i] as WebSocketEvent)
    }
    this.#flow()
    return { cancel: () => { this.#detach() } }
  }

  #push (event: WebSocketEvent): void {
    if (this.#detached || this.#ended) return
    if (this.#listener !== undefined) return this.#deliver(event)
    const waiting = this.#waiting
    if (waiting !== undefined) {
      this.#waiting = this.#moreWaiting?.shift()
      waiting({ value: event, done: false })
      return
    }
    const buffer = this.#buffer ??= []
    buffer.push(event)
    this.#bytes += sizeOf(event)
    if (!this.#paused && (buffer.length - this.#head >= this.#maxEvents || this.#bytes >= this.#maxBytes)) {
      this.#paused = true
      this.#hooks.pause(this.#owner)
    }
  }

  #end (): void {
    this.#ended = true
    this.#flow()
    for (let waiting = this.#waiting; waiting !== undefined; waiting = this.#moreWaiting?.shift()) waiting(DONE)
    this.#waiting = undefined
  }

  #claim (how: string): void {
    if (this.#claimed) throw new FST_ERR_RELIC_EVENTS_CONSUMED(how)
    this.#claimed = true
  }

  #next (): Promise<Result> {
    const buffer = this.#buffer
    if (buffer !== undefined && this.#head < buffer.length) {
      const value = buffer[this.#head] as WebSocketEvent
      this.#bytes -= sizeOf(value)
      // Let go of the event: under a steady flow the buffer may never empty.
      buffer[this.#head] = undefined
      // Reset instead of shifting: O(1) per event, and the array is reused for the next burst.
      // When it never empties, drop the consumed half now and then: amortised O(1) too.
      if (++this.#head === buffer.length) {
        buffer.length = 0
        this.#head = 0
      } else if (this.#head >= COMPACT_AT && this.#head * 2 >= buffer.length) {
        buffer.splice(0, this.#head)
        this.#head = 0
      }
      if (this.#paused) this.#flow()
      return Promise.resolve({ value, done: false })
    }
    if (this.#ended || this.#detached) return Promise.resolve(DONE)
    return new Promise((resolve) => {
      if (this.#waiting === undefined) this.#waiting = resolve
      else (this.#moreWaiting ??= []).push(resolve)
    })
  }

  // Resumes reading once the consumer has caught up, or when nothing will be buffered any more.
  #flow (): void {
    if (!this.#paused) return
    const buffered = this.#buffer === undefined ? 0 : this.#buffer.length - this.#head
    const caughtUp = buffered <= this.#maxEvents / 2 && this.#bytes <= this.#maxBytes / 2
    if (caughtUp || this.#ended || this.#detached || this.#listener !== undefined) {
      this.#paused = false
      this.#hooks.resume(this.#owner)
    }
  }

  // The consumer left (`break` out of `for await`, `cancel()`, a failed listener): later events
  // are dropped, and the connection is read again so that its close is still seen.
  #detach (): Promise<Result> {
    this.#detached = true
    this.#buffer = undefined
    this.#bytes = 0
    this.#listener = undefined
    this.#flow()
    return Promise.resolve(DONE)
  }

  #deliver (event: WebSocketEvent): void {
    try {
      const returned = (this.#listener as EventListener)(event)
      if (returned !== undefined && typeof returned.then === 'function') {
        returned.then(undefined, (error: unknown) => this.#failed(error))
      }
    } catch (error) {
      this.#failed(error)
    }
  }

  // A failure ends the delivery: the connection is closing, later events would fail again.
  #failed (error: unknown): void {
    void this.#detach()
    this.#hooks.fail(this.#owner, error)
  }
}
