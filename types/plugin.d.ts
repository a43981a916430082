import type { FastifyPluginAsync } from 'fastify';
import { type WebsocketPluginOptions } from '@fastify/websocket';
import type { PubSub } from './pubsub.js';
import { type WebSocketOptions } from './websocket-options.js';
/** The plugin's options: the WebSocket options here are the defaults of every relic WebSocket route. */
export interface FastifyRelicOptions extends WebSocketOptions {
    /**
     * Options for the @fastify/websocket that fastify-relic registers when the instance has none.
     * Leave it out when you register @fastify/websocket yourself (before fastify-relic).
     */
    websocket?: WebsocketPluginOptions;
    /**
     * Milliseconds a closing connection may take to finish cleanly (the WebSocket closing
     * handshake on `app.close()`, the last bytes of `sink.close()`) before it is cut. Default 5000.
     */
    gracePeriod?: number;
    /**
     * The backplane that carries published messages to the other instances of the app
     * (`redis()` from `fastify-relic/redis`). Default: none, one process.
     */
    pubsub?: PubSub;
    /**
     * Bytes that may wait to reach one topic subscriber before it is dropped as too slow (a
     * WebSocket closes with 1008, an event stream ends), so one slow client cannot hold memory or
     * slow the others. Default 4 MiB.
     */
    topicBufferLimit?: number;
}
/**
 * The fastify-relic plugin: decorates the instance with `app.relic`, whose route handlers may
 * return a `Response`, a `WebSocketUpgrade` or a `Hijack`.
 * @example
 * await app.register(fastifyRelic)
 * app.relic.get('/ws', () => new WebSocketUpgrade((ws) => ws.sendText('hi')))
 */
export declare const fastifyRelic: FastifyPluginAsync<FastifyRelicOptions>;
