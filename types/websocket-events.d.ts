import type { WebSocketEvent } from './events.js';
/** What `events.listen` returns: `cancel()` stops the delivery of further events. */
export interface EventSubscription {
    cancel(): void;
}
export type EventListener = (event: WebSocketEvent) => void | Promise<void>;
/**
 * What the queue asks of the socket that owns it. One shared object of functions taking the
 * owner, rather than closures per connection.
 */
export interface EventsOwnerHooks<Owner> {
    /** A `listen` callback threw or rejected. */
    fail(owner: Owner, error: unknown): void;
    /** The buffer is full: stop reading the connection, so that TCP pushes back on the peer. */
    pause(owner: Owner): void;
    /** The buffer has room again. */
    resume(owner: Owner): void;
}
/** Feeds an event in; only the socket that owns the queue calls it. */
export declare let pushEvent: (events: WebSocketEvents, event: WebSocketEvent) => void;
/** Ends the queue: no more events will come; buffered ones are still delivered. */
export declare let endEvents: (events: WebSocketEvents) => void;
/**
 * The events of one WebSocket, for exactly one consumer: either `for await` or `listen`.
 * Events that arrive before the consumer starts are buffered in order, never dropped; past
 * `maxBufferedEvents` events or `maxBufferedBytes` (64, 1 MiB by default) the connection is no
 * longer read until the consumer catches up. The buffer
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
    /**
     * @param maxEvents buffered events at which the owner is paused; it resumes at half of it.
     * @param maxBytes the same, in buffered bytes.
     */
    constructor(owner: unknown, hooks: EventsOwnerHooks<never>, maxEvents: number, maxBytes: number);
    [Symbol.asyncIterator](): AsyncIterator<WebSocketEvent, undefined>;
    /** Calls `listener` for each event, buffered ones first, in order. */
    listen(listener: EventListener): EventSubscription;
}
