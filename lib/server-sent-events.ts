import type { FastifyBaseLogger } from 'fastify'
import type { ReplayStore } from './replay-store.js'
import type { TopicMessage } from './pubsub.js'
import { dataText, formatComment, formatEvent, type ServerSentEvent } from './sse-format.js'
import type { SubscriberHooks, Topics } from './topics.js'

/** Bytes the body may hold unread before `send` makes its callers wait. */
export const HIGH_WATER_MARK: number = 64 * 1024

const SENT: Promise<boolean> = Promise.resolve(true)
const NO_TOPICS: ReadonlySet<string> = new Set()
// A published message's text, formatted once for every event stream.
const formatted = new WeakMap<TopicMessage, string>()
let TOPIC_HOOKS: SubscriberHooks<ServerSentEvents>
const ENDED: Promise<boolean> = Promise.resolve(false)

/** Connects the events to the body stream they write into; only the EventStream glue calls it. */
export let attachStream: (events: ServerSentEvents, controller: ReadableStreamDefaultController<Uint8Array>) => void
/** The body stream wants more: wake the senders waiting on backpressure. */
export let streamPulled: (events: ServerSentEvents) => void
/** Ends the stream: flushes what was sent, closes the body (`cancelled`: the client is gone). */
export let endStream: (events: ServerSentEvents, cancelled: boolean) => void
/** Writes text that was formatted elsewhere (replayed events, heartbeats). */
export let writeRaw: (events: ServerSentEvents, text: string) => void
// The writes of one tick, in one chunk.
let flush: (events: ServerSentEvents) => void

/**
 * The events of one Server-Sent Events stream, as an `EventStream` callback receives them.
 * What is sent in one tick goes out in one write; `send` resolves when the stream can take more.
 * @example
 * new EventStream(async (events) => {
 *   const timer = setInterval(() => { void events.send({ data: { at: Date.now() } }) }, 1000)
 *   events.signal.addEventListener('abort', () => clearInterval(timer))
 *   await events.done
 * })
 */
export class ServerSentEvents {
  /** The client's `Last-Event-ID` header: the id of the last event it got before reconnecting. */
  readonly lastEventId: string | undefined
  /** Resolves when the stream has ended: the client left, the server shuts down, or the callback returned. */
  readonly done: Promise<void>
  /** Aborted when the stream ends, for timers and fetches to stop with it. */
  readonly signal: AbortSignal
  // Set by the body stream's start(), which runs as the stream is made, before any write.
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined
  #pending = ''
  #flushing = false
  #waiters: Array<(sent: boolean) => void> = []
  #ended = false
  #abort = new AbortController()
  #resolveDone: () => void
  #replay: ReplayStore | undefined
  #log: FastifyBaseLogger
  #topicsOfApp: Topics
  #topics: Set<string> | undefined

  static {
    attachStream = (events, controller) => { events.#controller = controller }
    streamPulled = (events) => { events.#wake(true) }
    endStream = (events, cancelled) => { events.#end(cancelled) }
    writeRaw = (events, text) => { events.#write(text) }
    flush = (events) => { events.#flush() }
    TOPIC_HOOKS = {
      // An ended stream has left its topics: only open ones get here.
      deliver: (events, message, limit) => {
        const controller = events.#controller as ReadableStreamDefaultController<Uint8Array>
        const waiting = HIGH_WATER_MARK - (controller.desiredSize as number) + events.#pending.length
        if (waiting > limit) {
          events.#log.warn({ waiting, limit }, 'EventStream subscriber too slow for its topics; ending the stream')
          events.#end(false)
          return false
        }
        let text = formatted.get(message)
        if (text === undefined) {
          text = formatEvent({ data: message.text ?? Buffer.from(message.bytes).toString(), event: message.event })
          formatted.set(message, text)
        }
        events.#write(text)
        return true
      }
    }
  }

  constructor (lastEventId: string | undefined, replay: ReplayStore | undefined, log: FastifyBaseLogger, topics: Topics) {
    this.lastEventId = lastEventId
    this.#replay = replay
    this.#log = log
    this.#topicsOfApp = topics
    this.signal = this.#abort.signal
    let resolveDone!: () => void
    this.done = new Promise((resolve) => { resolveDone = resolve })
    this.#resolveDone = resolveDone
  }

  /** True once the stream has ended. */
  get closed (): boolean {
    return this.#ended
  }

  /**
   * Sends an event. A field that could break the format (CR or LF in `event` or `id`) is a coded
   * TypeError. Resolves `true` once the stream can take more (at once, unless the client reads
   * slower than you send), `false` if the stream has ended: nothing was sent.
   */
  send (event: ServerSentEvent): Promise<boolean> {
    // The data as text once, for the stream and for the replay store.
    const data = event !== null && typeof event === 'object' ? dataText(event.data) : undefined
    if (!this.#write(formatEvent(event, data))) return ENDED
    if (this.#replay !== undefined && event.id !== undefined) this.#store(event, data as string)
    return this.#ready()
  }

  /** Sends a comment line, which clients ignore; like `send` otherwise. */
  comment (text: string): Promise<boolean> {
    return this.#write(formatComment(text)) ? this.#ready() : ENDED
  }

  /** Receives what is published to `topic` as events, until `unsubscribe` or the end. */
  subscribe (topic: string): void {
    if (this.#ended) return
    this.#topicsOfApp.subscribe(topic, this, TOPIC_HOOKS)
    ;(this.#topics ??= new Set()).add(topic)
  }

  /** Stops receiving what is published to `topic`. */
  unsubscribe (topic: string): void {
    if (this.#topics?.delete(topic) === true) this.#topicsOfApp.unsubscribe(topic, this)
  }

  /** The topics this stream is subscribed to. */
  get topics (): ReadonlySet<string> {
    return this.#topics ?? NO_TOPICS
  }

  #store (event: ServerSentEvent, data: string): void {
    const stored = { id: event.id as string, data, ...(event.event === undefined ? {} : { event: event.event }) }
    try {
      const appended = (this.#replay as ReplayStore).append(stored)
      if (appended !== undefined) appended.then(undefined, (error: unknown) => this.#storeFailed(error))
    } catch (error) {
      this.#storeFailed(error)
    }
  }

  // A store that fails loses replay for this event, not the live stream.
  #storeFailed (error: unknown): void {
    this.#log.error({ err: error }, 'EventStream replay store failed to keep an event')
  }

  #write (text: string): boolean {
    if (this.#ended) return false
    this.#pending += text
    if (!this.#flushing) {
      this.#flushing = true
      process.nextTick(flush, this)
    }
    return true
  }

  #flush (): void {
    this.#flushing = false
    if (this.#pending === '') return
    const controller = this.#controller as ReadableStreamDefaultController<Uint8Array>
    controller.enqueue(Buffer.from(this.#pending))
    this.#pending = ''
    if ((controller.desiredSize as number) > 0) this.#wake(true)
  }

  #ready (): Promise<boolean> {
    // What waits to be flushed counts too: a sender that never yields is held back all the same.
    // (desiredSize is null only for a stream in error, which this one never is.)
    const room = (this.#controller as ReadableStreamDefaultController<Uint8Array>).desiredSize as number
    if (room - this.#pending.length > 0) return SENT
    return new Promise((resolve) => { this.#waiters.push(resolve) })
  }

  #wake (sent: boolean): void {
    const waiters = this.#waiters
    if (waiters.length === 0) return
    this.#waiters = []
    for (const resolve of waiters) resolve(sent)
  }

  #end (cancelled: boolean): void {
    if (this.#ended) return
    if (!cancelled) {
      this.#flush()
      const controller = this.#controller as ReadableStreamDefaultController<Uint8Array>
      controller.close()
    }
    this.#ended = true
    this.#pending = ''
    if (this.#topics !== undefined) for (const topic of this.#topics) this.#topicsOfApp.unsubscribe(topic, this)
    this.#topics = undefined
    this.#wake(false)
    this.#abort.abort()
    this.#resolveDone()
  }
}
