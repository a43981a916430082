import type { FastifyRequest } from 'fastify';
import { type OriginPolicy, type ResolvedWebSocketOptions } from './websocket-options.js';
/**
 * Refuses (403) an upgrade from a browser page of another site: cross-site WebSocket hijacking,
 * where a page rides on the user's cookies. Clients that send no `Origin` are not browsers and
 * pass, as in Relic.
 */
export declare function checkOrigin(request: FastifyRequest, policy: OriginPolicy): void;
/**
 * The subprotocol to agree on, or `undefined` when the route has no `protocols` (the choice is
 * then `ws`'s, or a `handleProtocols` of @fastify/websocket's options). Refuses (400) a client
 * that offers none of the route's.
 */
export declare function chooseProtocol(request: FastifyRequest, { protocols }: ResolvedWebSocketOptions): string | undefined;
