import type { WebSocketEvent } from './events.js';
/** What `events.listen` returns: `cancel()` stops the delivery of further events. */
export interface EventSubscription {
    cancel(): void;
}
export type EventListener = (event: WebSocketEvent) => void | Promise<void>;
/** Feeds an event in; only the socket that owns the queue calls it. */
export declare let pushEvent: (events: WebSocketEvents, event: WebSocketEvent) => void;
/** Ends the queue: no more events will come. */
export declare let endEvents: (events: WebSocketEvents) => void;
/**
 * The events of one WebSocket, for exactly one consumer: either `for await` or `listen`.
 * Events that arrive before the consumer starts are buffered in order, never dropped; the buffer
 * is allocated only when a message arrives with nobody waiting, so an idle socket costs nothing.
 * @example
 * for await (const event of ws.events) {
 *   if (event.type === 'text') ws.sendText(`Echo: ${event.text}`)
 * }
 * // or
 * ws.events.listen((event) => { if (event.type === 'text') ws.sendText(event.text) })
 */
export declare class WebSocketEvents implements AsyncIterable<WebSocketEvent> {
    #private;
    /** @param onListenerError receives what a `listen` callback throws or rejects with. */
    constructor(onListenerError: (error: unknown) => void);
    [Symbol.asyncIterator](): AsyncIterator<WebSocketEvent, undefined>;
    /** Calls `listener` for each event, buffered ones first, in order. */
    listen(listener: EventListener): EventSubscription;
}
