import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HijackChannel } from './hijack-channel.js';
import { type RelicWebSocket } from './relic-websocket.js';
import { type ServerSentEvents } from './server-sent-events.js';
import type { Topics } from './topics.js';
/** What Connections needs of an event stream's response (HTTP/1.1 or HTTP/2). */
interface StreamResponse {
    once: (event: 'close', listener: () => void) => unknown;
    destroy: () => void;
}
/**
 * The open relic WebSockets, hijacked connections and event streams of one app. On shutdown they
 * get a clean end (1001 "server shutting down", a flushed FIN, the end of the body) and up to the
 * grace period to finish it; whatever is still open then is cut, so `app.close()` always resolves.
 */
export declare class Connections {
    #private;
    /** Milliseconds a closing connection may take before it is cut. */
    readonly gracePeriod: number;
    /** The app's topics, which its WebSockets and event streams subscribe to. */
    readonly topics: Topics;
    constructor(gracePeriod: number, topics: Topics);
    /** Open WebSockets, hijacked connections and event streams. */
    get size(): number;
    /** Refuses a new upgrade or hijack once closing, with a 503 that also ends the connection. */
    refuseIfClosing(reply: FastifyReply): void;
    addSocket(ws: RelicWebSocket): void;
    deleteSocket(ws: RelicWebSocket): void;
    addChannel(channel: HijackChannel): void;
    /**
     * Tracks an event stream until its response has closed: sent whole, cut, or never sent (an
     * onSend hook that failed), which then ends the stream too, so that nothing waits on a body
     * nobody reads.
     */
    addStream(events: ServerSentEvents, response: StreamResponse): void;
    close(): Promise<void>;
}
/** The connections of the app an instance belongs to. */
export declare function connectionsOf(instance: FastifyInstance): Connections;
export {};
