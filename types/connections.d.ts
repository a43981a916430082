import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HijackChannel } from './hijack-channel.js';
import { type RelicWebSocket } from './relic-websocket.js';
/**
 * The open relic WebSockets and hijacked connections of one app. On shutdown they get a clean
 * end (1001 "server shutting down", a flushed FIN) and up to the grace period to finish it;
 * whatever is still open then is cut, so that `app.close()` always resolves.
 */
export declare class Connections {
    #private;
    /** Milliseconds a closing connection may take before it is cut. */
    readonly gracePeriod: number;
    constructor(gracePeriod: number);
    /** Open WebSockets plus hijacked connections. */
    get size(): number;
    /** Refuses a new upgrade or hijack once closing, with a 503 that also ends the connection. */
    refuseIfClosing(reply: FastifyReply): void;
    addSocket(ws: RelicWebSocket): void;
    deleteSocket(ws: RelicWebSocket): void;
    addChannel(channel: HijackChannel): void;
    close(): Promise<void>;
}
/** The connections of the app an instance belongs to. */
export declare function connectionsOf(instance: FastifyInstance): Connections;
