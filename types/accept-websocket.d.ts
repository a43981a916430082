import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type WebSocketUpgrade } from './websocket-upgrade.js';
/** True for a request @fastify/websocket routed from the server's `upgrade` event asking for a WebSocket. */
export declare function isWebSocketHandshake(request: FastifyRequest): boolean;
/** Completes the handshake of a `WebSocketUpgrade` result, then runs its callback. */
export declare function acceptWebSocket(instance: FastifyInstance, upgrade: WebSocketUpgrade, request: FastifyRequest, reply: FastifyReply): void;
