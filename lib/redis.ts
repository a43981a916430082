// fastify-relic/redis: the pub/sub backplane over Redis, for apps on more than one process.
// A subpath of its own, so that only its users load a Redis client (ioredis, an optional peer).
import { Redis, type RedisOptions } from 'ioredis'
import type { FastifyBaseLogger } from 'fastify'
import { FST_ERR_RELIC_INVALID_OPTIONS } from './errors.js'
import { decodeMessage, encodeMessage, type DeliverFunction, type PubSub, type TopicMessage } from './pubsub.js'

export { redisReplayStore } from './redis-replay-store.js'
export type { RedisReplayStore, RedisReplayStoreOptions } from './redis-replay-store.js'

export interface RedisPubSubOptions {
  /** `redis://host:port/db`; or give `client`. */
  url?: string
  /** A connected ioredis client to publish with; a duplicate of it subscribes. Not closed by fastify-relic. */
  client?: Redis
  /** Prefix of the Redis channels, so that several apps can share one Redis. Default `relic:`. */
  prefix?: string
  /** ioredis options for the clients made from `url`. */
  redisOptions?: RedisOptions
}

/** What the Redis backplane has seen, for metrics. */
export interface RedisPubSubStats {
  /** Times the subscriber connection was lost; messages published meanwhile did not reach this instance. */
  outages: number
  /** Publishes that failed (Redis unreachable past ioredis's retries). */
  failedPublishes: number
  /** Messages from Redis that were not fastify-relic's (ignored). */
  malformed: number
}

/** The Redis backplane, with its counters. */
export interface RedisPubSub extends PubSub {
  readonly stats: RedisPubSubStats
}

/**
 * A backplane over Redis pub/sub: one Redis subscription per topic per instance (not per socket),
 * resubscribed after a reconnect. An outage of the subscriber connection is logged and counted:
 * what was published meanwhile cannot be recovered from pub/sub.
 * @example
 * import { redis } from 'fastify-relic/redis'
 * await app.register(relic, { pubsub: redis({ url: process.env.REDIS_URL }) })
 */
export function redis (options: RedisPubSubOptions): RedisPubSub {
  if (options === null || typeof options !== 'object' || (options.url === undefined) === (options.client === undefined)) {
    throw new FST_ERR_RELIC_INVALID_OPTIONS('redis() takes { url } or { client }, one of the two')
  }
  const prefix = options.prefix ?? 'relic:'
  const stats: RedisPubSubStats = { outages: 0, failedPublishes: 0, malformed: 0 }
  let publisher: Redis
  let subscriber: Redis
  // Set by close(): the end of the connection is then no outage.
  let closing = false

  return {
    stats,
    async start (deliver: DeliverFunction, log: FastifyBaseLogger) {
      publisher = options.client ?? new Redis(options.url as string, { lazyConnect: true, ...options.redisOptions })
      subscriber = publisher.duplicate()
      // ioredis reports errors here and reconnects by itself; unlistened, they would be thrown.
      const onError = (error: Error): void => { log.debug({ err: error }, 'Redis pub/sub connection error') }
      subscriber.on('error', onError)
      if (options.client === undefined) publisher.on('error', onError)
      if (options.client === undefined) await publisher.connect()
      if (subscriber.status === 'wait') await subscriber.connect()
      let ready = true
      subscriber.on('close', () => {
        if (!ready || closing) return
        ready = false
        stats.outages++
        log.warn({ outages: stats.outages }, 'Redis pub/sub connection lost: messages published until it is back do not reach this instance')
      })
      subscriber.on('ready', () => {
        if (ready) return
        ready = true
        log.info('Redis pub/sub connection back; topics resubscribed')
      })
      subscriber.on('message', (channel: string, wire: string) => {
        const decoded = decodeMessage(wire)
        if (decoded === undefined) {
          stats.malformed++
          return
        }
        deliver(channel.slice(prefix.length), decoded.message, decoded.origin)
      })
    },
    async publish (topic: string, message: TopicMessage, origin: string) {
      try {
        await publisher.publish(prefix + topic, encodeMessage(message, origin))
      } catch (error) {
        stats.failedPublishes++
        throw error
      }
    },
    async subscribe (topic: string) { await subscriber.subscribe(prefix + topic) },
    async unsubscribe (topic: string) { await subscriber.unsubscribe(prefix + topic) },
    async close () {
      closing = true
      subscriber.disconnect()
      if (options.client === undefined) publisher.disconnect()
    }
  }
}
