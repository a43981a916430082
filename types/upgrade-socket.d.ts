import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
/**
 * The server's `upgrade` listener, prepended so that it runs before @fastify/websocket routes
 * the request.
 */
export declare function onUpgrade(request: IncomingMessage, socket: Socket, head: Buffer): void;
/** The bytes that followed the head of an upgrade request. */
export declare function upgradeHead(request: IncomingMessage): Buffer;
