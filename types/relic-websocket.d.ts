import type { FastifyBaseLogger } from 'fastify';
import { WebSocket } from 'ws';
import type { Connections } from './connections.js';
import { type ResolvedWebSocketOptions } from './websocket-options.js';
import { WebSocketEvents } from './websocket-events.js';
/** Closes with a server-side code (1001, 1011) that users may not send; a no-op once closed. */
export declare let closeWith: (ws: RelicWebSocket, code: number, reason: string) => void;
/** Logs a failure of the route's callback (or of an events listener) and closes with 1011. */
export declare let failWith: (ws: RelicWebSocket, error: unknown) => void;
/**
 * One accepted WebSocket, as a `WebSocketUpgrade` callback receives it.
 * @example
 * new WebSocketUpgrade(async (ws) => {
 *   ws.sendText('hello')
 *   for await (const event of ws.events) {
 *     if (event.type === 'text') ws.sendText(`Echo: ${event.text}`)
 *   }
 * })
 */
export declare class RelicWebSocket {
    #private;
    /** The incoming events; one consumer, buffered until it starts. */
    readonly events: WebSocketEvents;
    /** The underlying `ws` socket, for what this class does not cover. */
    readonly raw: WebSocket;
    /**
     * @param log the request's logger: errors of the route's callback and listeners go there.
     * @param connections the app's open connections, which this one joins until it closes.
     */
    constructor(raw: WebSocket, log: FastifyBaseLogger, connections: Connections, options: ResolvedWebSocketOptions);
    /**
     * Milliseconds between pings, or `null` for none. A peer whose pong has not come by the next
     * ping is cut off, and `events` ends with a `CloseReceived` of code 1001.
     */
    get pingInterval(): number | null;
    set pingInterval(interval: number | null);
    /** Bytes sent but not yet handed to the operating system. */
    get bufferedAmount(): number;
    /**
     * Resolves once the bytes waiting to be sent have fallen to the socket's high-water mark
     * (16 KiB), or the connection has closed: `await` it between sends so that a fast producer
     * does not fill memory with what a slow peer has not read.
     * @example
     * for (const chunk of chunks) { ws.sendBytes(chunk); await ws.drained() }
     */
    drained(): Promise<void>;
    /**
     * Receives what is published to `topic`, on this instance or (with a backplane) any other,
     * until `unsubscribe` or the close. A no-op once closed.
     */
    subscribe(topic: string): void;
    /** Stops receiving what is published to `topic`. */
    unsubscribe(topic: string): void;
    /** The topics this socket is subscribed to. */
    get topics(): ReadonlySet<string>;
    /**
     * Publishes to every subscriber of `topic` but this socket (as in Bun and uWebSockets):
     * text, bytes, or a value as JSON. Same as `app.relic.publish(topic, data, { except: ws })`.
     */
    publish(topic: string, data: unknown): void;
    /** The subprotocol the handshake agreed on, or `''`. */
    get protocol(): string;
    /** True once a close was sent or received, or the connection dropped. */
    get isClosed(): boolean;
    /** Sends a text message; throws `WebSocketConnectionClosed` once closed. */
    sendText(text: string): void;
    /** Sends a binary message; throws `WebSocketConnectionClosed` once closed. */
    sendBytes(bytes: Uint8Array): void;
    /** Sends a text message if the connection is open; returns whether it was sent. */
    trySendText(text: string): boolean;
    /** Sends a binary message if the connection is open; returns whether it was sent. */
    trySendBytes(bytes: Uint8Array): boolean;
    /**
     * Starts the closing handshake. `code` is 1000 or 3000-4999 (none: the peer sees 1005), the
     * reason at most 123 UTF-8 bytes and only with a code. `events` then ends without a
     * `CloseReceived`. Throws `WebSocketConnectionClosed` when already closed.
     */
    close(code?: number, reason?: string): void;
    /** Like `close`, but returns false instead of throwing when already closed. */
    tryClose(code?: number, reason?: string): boolean;
}
