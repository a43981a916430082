import { FST_ERR_RELIC_INVALID_CALLBACK, FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION } from './errors.js'
import type { ReplayStore } from './replay-store.js'
import { brandResult } from './result.js'
import { MAX_TIMER } from './websocket-options.js'
import type { ServerSentEvents } from './server-sent-events.js'

export type EventStreamCallback = (events: ServerSentEvents) => void | Promise<void>

export interface EventStreamOptions {
  /** Milliseconds between heartbeat comments, which keep proxies from closing a quiet stream; `null`: none. Default 15000. */
  heartbeat?: number | null
  /** Keeps sent events (those with an `id`) and replays what a reconnecting client missed. */
  replay?: ReplayStore
}

/**
 * A handler result: answer with a Server-Sent Events stream (`text/event-stream`) and run
 * `callback` with its events. It is a streaming web `Response` underneath, so Fastify's hooks,
 * the headers they set (CORS) and its request log work as for any route. The stream ends when
 * the callback returns or throws, the client leaves, or the server closes.
 * @example
 * app.relic.get('/clock', () => new EventStream(async (events) => {
 *   while (!events.closed) {
 *     await events.send({ data: new Date().toISOString() })
 *     await setTimeout(1000)
 *   }
 * }))
 */
export class EventStream {
  readonly callback: EventStreamCallback
  readonly options: EventStreamOptions

  constructor (callback: EventStreamCallback, options: EventStreamOptions = {}) {
    if (typeof callback !== 'function') throw new FST_ERR_RELIC_INVALID_CALLBACK('EventStream')
    const fail = (message: string): never => { throw new FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION(message) }
    if (options === null || typeof options !== 'object') fail('the options must be an object')
    const { heartbeat, replay } = options
    if (heartbeat !== undefined && heartbeat !== null && !(typeof heartbeat === 'number' && heartbeat > 0 && heartbeat <= MAX_TIMER)) {
      fail('"heartbeat" must be a number of milliseconds from 1 to 2147483647, or null for none')
    }
    if (replay !== undefined && (replay === null || typeof replay.append !== 'function' || typeof replay.since !== 'function')) {
      fail('"replay" must be a store with append() and since() (a MemoryReplayStore, say)')
    }
    this.callback = callback
    this.options = options
  }
}

brandResult(EventStream, 'event-stream')
