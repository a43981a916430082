import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { FST_ERR_RELIC_INVALID_TOPIC } from './errors.js'
import type { PubSub, TopicMessage } from './pubsub.js'

/** How a kind of subscriber (a WebSocket, an event stream) takes a message; shared, not per subscriber. */
export interface SubscriberHooks<Subscriber> {
  /**
   * Delivers `message`, unless more than `limit` bytes already wait to reach this subscriber:
   * then it is dropped as too slow (a WebSocket closes with 1008) and `false` returned.
   */
  deliver (subscriber: Subscriber, message: TopicMessage, limit: number): boolean
}

export interface PublishOptions {
  /** A local subscriber that does not get this message: the one publishing it, say. */
  except?: unknown
  /** The event type Server-Sent Events subscribers see (`message` when left out). */
  event?: string
}

/**
 * The topics of one app: who subscribes to what here, and the backplane that carries what is
 * published to the other instances. Nothing is allocated until a topic is used.
 */
export class Topics {
  /** Bytes that may wait to reach one subscriber before it is dropped as too slow. */
  readonly limit: number
  readonly #subscriptions = new Map<string, Map<unknown, SubscriberHooks<never>>>()
  readonly #backplane: PubSub | undefined
  readonly #origin = randomUUID()
  readonly #log: FastifyBaseLogger

  constructor (limit: number, backplane: PubSub | undefined, log: FastifyBaseLogger) {
    this.limit = limit
    this.#backplane = backplane
    this.#log = log
  }

  /** Starts the backplane: from now on, what other instances publish is delivered here. */
  async start (): Promise<void> {
    await this.#backplane?.start((topic, message, origin) => {
      // This instance delivered its own messages when it published them.
      if (origin !== this.#origin) this.#deliver(topic, message, undefined)
    }, this.#log)
  }

  async close (): Promise<void> {
    await this.#backplane?.close()
  }

  subscribe<Subscriber> (topic: string, subscriber: Subscriber, hooks: SubscriberHooks<Subscriber>): void {
    checkTopic(topic)
    let subscribers = this.#subscriptions.get(topic)
    if (subscribers === undefined) {
      this.#subscriptions.set(topic, subscribers = new Map())
      this.#backplaneCall('subscribe', () => this.#backplane?.subscribe(topic))
    }
    subscribers.set(subscriber, hooks as SubscriberHooks<never>)
  }

  unsubscribe (topic: string, subscriber: unknown): void {
    const subscribers = this.#subscriptions.get(topic)
    if (subscribers?.delete(subscriber) !== true || subscribers.size > 0) return
    this.#subscriptions.delete(topic)
    this.#backplaneCall('unsubscribe', () => this.#backplane?.unsubscribe(topic))
  }

  /** Local subscribers of `topic`. */
  subscribers (topic: string): number {
    return this.#subscriptions.get(topic)?.size ?? 0
  }

  /** Delivers to every subscriber of `topic` here, and through the backplane everywhere else. */
  publish (topic: string, data: unknown, options: PublishOptions = {}): void {
    checkTopic(topic)
    const message = encode(data, options.event)
    this.#deliver(topic, message, options.except)
    if (this.#backplane !== undefined) {
      this.#backplaneCall('publish', () => this.#backplane?.publish(topic, message, this.#origin))
    }
  }

  #deliver (topic: string, message: TopicMessage, except: unknown): void {
    const subscribers = this.#subscriptions.get(topic)
    if (subscribers === undefined) return
    // A subscriber dropped as too slow unsubscribes mid-loop: deleting the entry being visited
    // is safe while iterating a Map.
    for (const [subscriber, hooks] of subscribers) {
      if (subscriber === except) continue
      // One subscriber's failure must not cost the others their message, nor (from a backplane's
      // listener) crash the process.
      try {
        hooks.deliver(subscriber as never, message, this.limit)
      } catch (error) {
        this.#log.error({ err: error, topic }, 'fastify-relic could not deliver a topic message to a subscriber')
      }
    }
  }

  // The backplane's failures (a Redis outage) are logged and counted, never thrown at a publisher.
  #backplaneCall (what: string, call: () => void | Promise<void>): void {
    const onError = (error: unknown): void => {
      this.#log.error({ err: error, topicOperation: what }, 'fastify-relic pub/sub backplane failed')
    }
    try {
      const done = call()
      if (done !== undefined) done.then(undefined, onError)
    } catch (error) {
      onError(error)
    }
  }
}

function checkTopic (topic: string): void {
  if (typeof topic !== 'string' || topic === '') throw new FST_ERR_RELIC_INVALID_TOPIC('a topic is a non-empty string')
}

/** What a publish sends, encoded once for every subscriber: text, bytes, or a value as JSON. */
function encode (data: unknown, event: string | undefined): TopicMessage {
  if (event !== undefined && (typeof event !== 'string' || /[\r\n]/.test(event))) {
    throw new FST_ERR_RELIC_INVALID_TOPIC('"event" must be a string without CR or LF')
  }
  if (data instanceof Uint8Array) return { binary: true, bytes: data, text: undefined, event }
  const text = typeof data === 'string' ? data : data === undefined ? undefined : JSON.stringify(data)
  if (text === undefined) throw new FST_ERR_RELIC_INVALID_TOPIC('the data must be a string, bytes or a JSON-serialisable value')
  // As bytes once, so that each WebSocket sends them without encoding the string again.
  return { binary: false, bytes: Buffer.from(text), text, event }
}
