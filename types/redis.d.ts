import { Redis, type RedisOptions } from 'ioredis';
import { type PubSub } from './pubsub.js';
export { redisReplayStore } from './redis-replay-store.js';
export type { RedisReplayStore, RedisReplayStoreOptions } from './redis-replay-store.js';
export interface RedisPubSubOptions {
    /** `redis://host:port/db`; or give `client`. */
    url?: string;
    /** A connected ioredis client to publish with; a duplicate of it subscribes. Not closed by fastify-relic. */
    client?: Redis;
    /** Prefix of the Redis channels, so that several apps can share one Redis. Default `relic:`. */
    prefix?: string;
    /** ioredis options for the clients made from `url`. */
    redisOptions?: RedisOptions;
}
/** What the Redis backplane has seen, for metrics. */
export interface RedisPubSubStats {
    /** Times the subscriber connection was lost; messages published meanwhile did not reach this instance. */
    outages: number;
    /** Publishes that failed (Redis unreachable past ioredis's retries). */
    failedPublishes: number;
    /** Messages from Redis that were not fastify-relic's (ignored). */
    malformed: number;
}
/** The Redis backplane, with its counters. */
export interface RedisPubSub extends PubSub {
    readonly stats: RedisPubSubStats;
}
/**
 * A backplane over Redis pub/sub: one Redis subscription per topic per instance (not per socket),
 * resubscribed after a reconnect. An outage of the subscriber connection is logged and counted:
 * what was published meanwhile cannot be recovered from pub/sub.
 * @example
 * import { redis } from 'fastify-relic/redis'
 * await app.register(relic, { pubsub: redis({ url: process.env.REDIS_URL }) })
 */
export declare function redis(options: RedisPubSubOptions): RedisPubSub;
