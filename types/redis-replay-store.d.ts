import { Redis } from 'ioredis';
import type { ReplayStore } from './replay-store.js';
import type { StoredEvent } from './sse-format.js';
export interface RedisReplayStoreOptions {
    /** `redis://host:port/db`; or give `client`. */
    url?: string;
    /** An ioredis client; not closed by `close()`. */
    client?: Redis;
    /** Names the feed: its stream is `{key}` (braced, so its keys share a Redis Cluster slot). */
    key: string;
    /** Events kept; older ones are trimmed. Default 1000. */
    size?: number;
}
/** A `ReplayStore` in a Redis stream, so a client that reconnects to another instance still catches up. */
export interface RedisReplayStore extends ReplayStore {
    append(event: StoredEvent): Promise<void>;
    since(lastEventId: string): Promise<StoredEvent[]>;
    /** Disconnects the client made from `url`. */
    close(): void;
}
/**
 * A replay store over a Redis stream, shared by every instance of the app.
 * @example
 * const feed = redisReplayStore({ url: process.env.REDIS_URL, key: 'feed:orders' })
 * app.relic.get('/orders', () => new EventStream(cb, { replay: feed }))
 */
export declare function redisReplayStore(options: RedisReplayStoreOptions): RedisReplayStore;
