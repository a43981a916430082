import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
type WithMessage = Socket & {
    _httpMessage?: (NodeJS.EventEmitter & {
        writableFinished: boolean;
    }) | null;
};
/**
 * The server's `upgrade` listener, prepended so that it runs before @fastify/websocket routes
 * the request.
 */
export declare function onUpgrade(request: IncomingMessage, socket: Socket, head: Buffer): void;
/**
 * The server's second `upgrade` listener, appended: it runs once @fastify/websocket has routed the
 * request, and ends the socket after an HTTP answer (a refusal, a plain route), which would
 * otherwise leave it open, as no HTTP parser reads it any more. A WebSocket or a hijack has
 * detached the answer by then, and keeps its socket.
 */
export declare function afterUpgrade(_request: IncomingMessage, socket: WithMessage): void;
/** True for a request that came through the server's `upgrade` event (any protocol). */
export declare function isUpgrade(request: {
    raw: IncomingMessage;
    ws?: boolean | null;
}): boolean;
/** The bytes that followed the head of an upgrade request. */
export declare function upgradeHead(request: IncomingMessage): Buffer;
export {};
