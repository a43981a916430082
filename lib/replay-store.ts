import { FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION } from './errors.js'
import type { StoredEvent } from './sse-format.js'

/**
 * Where an `EventStream` keeps the events it sent, so that a client reconnecting with
 * `Last-Event-ID` gets what it missed. Share one store between the streams of one feed. A store
 * over Redis or a database implements the same two methods; both may be async.
 */
export interface ReplayStore {
  /**
   * Keeps an event sent with an `id`. Every stream of the feed sends the same event, so an id the
   * store already holds must be ignored.
   */
  append (event: StoredEvent): void | Promise<void>
  /**
   * The events after the one with `lastEventId`, oldest first. An id the store no longer (or
   * never) held: what it has, as the client's best chance to catch up.
   */
  since (lastEventId: string): Iterable<StoredEvent> | AsyncIterable<StoredEvent> | Promise<Iterable<StoredEvent>>
}

/**
 * A `ReplayStore` in this process's memory: the last `size` events (default 1000), in a ring.
 * @example
 * const feed = new MemoryReplayStore({ size: 500 })
 * app.relic.get('/feed', () => new EventStream(async (events) => { ... }, { replay: feed }))
 */
export class MemoryReplayStore implements ReplayStore {
  readonly size: number
  #ring: Array<StoredEvent | undefined>
  // The next slot to write; the oldest event is there once the ring is full.
  #next = 0
  #count = 0
  #ids = new Map<string, StoredEvent>()

  constructor ({ size = 1000 }: { size?: number } = {}) {
    if (!Number.isSafeInteger(size) || size < 1) throw new FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION('MemoryReplayStore "size" must be a whole number, 1 or more')
    this.size = size
    this.#ring = new Array<StoredEvent | undefined>(size)
  }

  append (event: StoredEvent): void {
    if (this.#ids.has(event.id)) return
    const evicted = this.#ring[this.#next]
    if (evicted !== undefined) this.#ids.delete(evicted.id)
    this.#ring[this.#next] = event
    this.#ids.set(event.id, event)
    this.#next = (this.#next + 1) % this.size
    this.#count = Math.min(this.#count + 1, this.size)
  }

  since (lastEventId: string): StoredEvent[] {
    const all: StoredEvent[] = []
    for (let i = 0; i < this.#count; i++) {
      all.push(this.#ring[(this.#next - this.#count + i + this.size) % this.size] as StoredEvent)
    }
    const last = this.#ids.get(lastEventId)
    return last === undefined ? all : all.slice(all.indexOf(last) + 1)
  }
}
