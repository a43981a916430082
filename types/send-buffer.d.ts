import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
/**
 * Resolves once the bytes `ws` has not yet handed to the operating system (`bufferedAmount`:
 * the socket's buffer plus what `ws` queues while compressing) have fallen to the socket's
 * high-water mark, or once the connection is closed.
 */
export declare function drained(raw: WebSocket): Promise<void>;
/** Resolves on the socket's next `drain`, or its close: one wait per socket, however many await it. */
export declare function drainOf(socket: Socket): Promise<void>;
/**
 * Ends a wait on `raw`'s socket now: a local close ends the socket, and Node emits no `drain`
 * on an ending socket, so the wait would last the whole closing handshake.
 */
export declare function releaseDrain(raw: WebSocket): void;
