import type { FastifyBaseLogger } from 'fastify';
import type { ReplayStore } from './replay-store.js';
import { type ServerSentEvent } from './sse-format.js';
import type { Topics } from './topics.js';
/** Bytes the body may hold unread before `send` makes its callers wait. */
export declare const HIGH_WATER_MARK: number;
/** Connects the events to the body stream they write into; only the EventStream glue calls it. */
export declare let attachStream: (events: ServerSentEvents, controller: ReadableStreamDefaultController<Uint8Array>) => void;
/** The body stream wants more: wake the senders waiting on backpressure. */
export declare let streamPulled: (events: ServerSentEvents) => void;
/** Ends the stream: flushes what was sent, closes the body (`cancelled`: the client is gone). */
export declare let endStream: (events: ServerSentEvents, cancelled: boolean) => void;
/** Writes text that was formatted elsewhere (replayed events, heartbeats). */
export declare let writeRaw: (events: ServerSentEvents, text: string) => void;
/**
 * The events of one Server-Sent Events stream, as an `EventStream` callback receives them.
 * What is sent in one tick goes out in one write; `send` resolves when the stream can take more.
 * @example
 * new EventStream(async (events) => {
 *   const timer = setInterval(() => { void events.send({ data: { at: Date.now() } }) }, 1000)
 *   events.signal.addEventListener('abort', () => clearInterval(timer))
 *   await events.done
 * })
 */
export declare class ServerSentEvents {
    #private;
    /** The client's `Last-Event-ID` header: the id of the last event it got before reconnecting. */
    readonly lastEventId: string | undefined;
    /** Resolves when the stream has ended: the client left, the server shuts down, or the callback returned. */
    readonly done: Promise<void>;
    /** Aborted when the stream ends, for timers and fetches to stop with it. */
    readonly signal: AbortSignal;
    constructor(lastEventId: string | undefined, replay: ReplayStore | undefined, log: FastifyBaseLogger, topics: Topics);
    /** True once the stream has ended. */
    get closed(): boolean;
    /**
     * Sends an event. A field that could break the format (CR or LF in `event` or `id`) is a coded
     * TypeError. Resolves `true` once the stream can take more (at once, unless the client reads
     * slower than you send), `false` if the stream has ended: nothing was sent.
     */
    send(event: ServerSentEvent): Promise<boolean>;
    /** Sends a comment line, which clients ignore; like `send` otherwise. */
    comment(text: string): Promise<boolean>;
    /** Receives what is published to `topic` as events, until `unsubscribe` or the end. */
    subscribe(topic: string): void;
    /** Stops receiving what is published to `topic`. */
    unsubscribe(topic: string): void;
    /** The topics this stream is subscribed to. */
    get topics(): ReadonlySet<string>;
}
