import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ResolvedWebSocketOptions } from './websocket-options.js';
/**
 * The `ws` servers that complete relic handshakes: one per distinct `maxPayload` and
 * `compression`, as `ws` takes those per server, derived from the @fastify/websocket server's
 * options (so `websocket: { options }` still applies). Subprotocol and extra headers are per
 * request, and reach `ws`'s hooks on the request.
 */
export declare class WebSocketServers {
    #private;
    /** The plugin-wide WebSocket options, which a route's options override. */
    readonly defaults: ResolvedWebSocketOptions;
    constructor(base: WebSocketServer, defaults: ResolvedWebSocketOptions);
    /** Completes the handshake with `options`; `done` gets the `ws` socket. */
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, options: ResolvedWebSocketOptions, protocol: string | undefined, done: (raw: WebSocket) => void): void;
}
/** The WebSocket servers of the app an instance belongs to. */
export declare function webSocketServersOf(instance: FastifyInstance): WebSocketServers;
