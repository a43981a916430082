/** One event for `events.send`. */
export interface ServerSentEvent {
    /** A string (each line becomes a `data:` line) or any JSON-serialisable value. */
    data: unknown;
    /** The event type, for `addEventListener(type)` on the client; `message` when left out. */
    event?: string;
    /** The id the client sends back as `Last-Event-ID` when it reconnects. */
    id?: string;
    /** Milliseconds the client should wait before reconnecting. */
    retry?: number;
}
/** An event as a replay store keeps it: with an id, and its data as the text that was sent. */
export interface StoredEvent {
    id: string;
    data: string;
    event?: string;
}
/** The data of an event as text: strings as they are, anything else as JSON. */
export declare function dataText(data: unknown): string;
/**
 * Checks an event's fields and returns its text, ending with the blank line that dispatches it.
 * `data` is the event's data as text, when the caller has it already.
 */
export declare function formatEvent(event: ServerSentEvent, data?: string): string;
/** A stored event's text, as it was first sent. */
export declare function formatStored({ id, data, event }: StoredEvent): string;
/** A comment: ignored by clients, it keeps proxies from closing an idle stream. */
export declare function formatComment(text: string): string;
