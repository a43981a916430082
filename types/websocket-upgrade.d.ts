import type { RelicWebSocket } from './relic-websocket.js';
import { type WebSocketOptions } from './websocket-options.js';
export type WebSocketCallback = (ws: RelicWebSocket) => void | Promise<void>;
/** The options of an upgrade given none: the plugin's apply as they are. */
export declare const NO_OPTIONS: WebSocketOptions;
/**
 * A handler result: accept the WebSocket handshake, then run `callback` with the socket.
 * Return a `Response` instead to refuse the upgrade with a real HTTP status.
 * @example
 * app.relic.get('/ws', async (req) => (await isAllowed(req))
 *   ? new WebSocketUpgrade((ws) => { ws.sendText('welcome') }, { protocols: ['chat.v1'] })
 *   : new Response('no', { status: 401 }))
 */
export declare class WebSocketUpgrade {
    /** Runs once the handshake is complete; the server does not wait for it. */
    readonly callback: WebSocketCallback;
    /** This route's options, over the plugin-wide ones. */
    readonly options: WebSocketOptions;
    constructor(callback: WebSocketCallback, options?: WebSocketOptions);
}
