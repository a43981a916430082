import type { FastifyPluginAsync } from 'fastify';
import { type WebsocketPluginOptions } from '@fastify/websocket';
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
}
/**
 * The fastify-relic plugin: decorates the instance with `app.relic`, whose route handlers may
 * return a `Response`, a `WebSocketUpgrade` or a `Hijack`.
 * @example
 * await app.register(fastifyRelic)
 * app.relic.get('/ws', () => new WebSocketUpgrade((ws) => ws.sendText('hi')))
 */
export declare const fastifyRelic: FastifyPluginAsync<FastifyRelicOptions>;
