import { Redis } from 'ioredis'
import { FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION } from './errors.js'
import type { ReplayStore } from './replay-store.js'
import type { StoredEvent } from './sse-format.js'

export interface RedisReplayStoreOptions {
  /** `redis://host:port/db`; or give `client`. */
  url?: string
  /** An ioredis client; not closed by `close()`. */
  client?: Redis
  /** Names the feed: its stream is `{key}` (braced, so its keys share a Redis Cluster slot). */
  key: string
  /** Events kept; older ones are trimmed. Default 1000. */
  size?: number
}

// Appends once per event id, in one step: every instance's streams send the same event. The
// index (a sorted set of event ids, and a hash from event id to stream entry id) is trimmed
// with the stream.
const APPEND = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
local entry = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[4], '*', 'id', ARGV[1], 'data', ARGV[2], 'event', ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], entry)
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[1])
local old = redis.call('ZRANGE', KEYS[3], 0, -(tonumber(ARGV[4]) + 1))
if #old > 0 then
  redis.call('HDEL', KEYS[2], unpack(old))
  redis.call('ZREM', KEYS[3], unpack(old))
end
return 1`

/** A `ReplayStore` in a Redis stream, so a client that reconnects to another instance still catches up. */
export interface RedisReplayStore extends ReplayStore {
  append (event: StoredEvent): Promise<void>
  since (lastEventId: string): Promise<StoredEvent[]>
  /** Disconnects the client made from `url`. */
  close (): void
}

/**
 * A replay store over a Redis stream, shared by every instance of the app.
 * @example
 * const feed = redisReplayStore({ url: process.env.REDIS_URL, key: 'feed:orders' })
 * app.relic.get('/orders', () => new EventStream(cb, { replay: feed }))
 */
export function redisReplayStore (options: RedisReplayStoreOptions): RedisReplayStore {
  const { key, size = 1000 } = options !== null && typeof options === 'object' ? options : { key: undefined }
  if (typeof key !== 'string' || key === '' || (options.url === undefined) === (options.client === undefined)) {
    throw new FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION('redisReplayStore() takes a key and { url } or { client }, one of the two')
  }
  if (!Number.isSafeInteger(size) || size < 1) throw new FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION('redisReplayStore "size" must be a whole number, 1 or more')
  const client = options.client ?? new Redis(options.url as string)
  // Sent once, then run by its SHA (EVALSHA), not shipped with every append.
  client.defineCommand('relicReplayAppend', { numberOfKeys: 4, lua: APPEND })
  const append = (client as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>).relicReplayAppend as
    (...args: Array<string | number>) => Promise<unknown>
  const stream = `{${key}}`
  const keys = [stream, `${stream}:ids`, `${stream}:order`, `${stream}:count`]
  // Every stream of the feed on this instance appends the same event: one call for them all.
  let lastAppended: string | undefined
  const toEvent = ([, fields]: [string, string[]]): StoredEvent => {
    const [, id, , data, , event] = fields as [string, string, string, string, string, string]
    return event === '' ? { id, data } : { id, data, event }
  }
  return {
    async append (event) {
      if (event.id === lastAppended) return
      lastAppended = event.id
      await append.call(client, ...keys, event.id, event.data, event.event ?? '', size)
    },
    async since (lastEventId) {
      const entry = await client.hget(keys[1] as string, lastEventId)
      // An id the stream no longer holds: all of it, the client's best chance to catch up.
      const entries = await client.xrange(stream, entry === null ? '-' : `(${entry}`, '+')
      return entries.map(toEvent)
    },
    close () {
      if (options.client === undefined) client.disconnect()
    }
  }
}
