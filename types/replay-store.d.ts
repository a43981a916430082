import type { StoredEvent } from './sse-format.js';
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
    append(event: StoredEvent): void | Promise<void>;
    /**
     * The events after the one with `lastEventId`, oldest first. An id the store no longer (or
     * never) held: what it has, as the client's best chance to catch up.
     */
    since(lastEventId: string): Iterable<StoredEvent> | AsyncIterable<StoredEvent> | Promise<Iterable<StoredEvent>>;
}
/**
 * A `ReplayStore` in this process's memory: the last `size` events (default 1000), in a ring.
 * @example
 * const feed = new MemoryReplayStore({ size: 500 })
 * app.relic.get('/feed', () => new EventStream(async (events) => { ... }, { replay: feed }))
 */
export declare class MemoryReplayStore implements ReplayStore {
    #private;
    readonly size: number;
    constructor({ size }?: {
        size?: number;
    });
    append(event: StoredEvent): void;
    since(lastEventId: string): StoredEvent[];
}
