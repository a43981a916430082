import type { RelicWebSocket } from './relic-websocket.js';
export type WebSocketCallback = (ws: RelicWebSocket) => void | Promise<void>;
/**
 * A handler result: accept the WebSocket handshake, then run `callback` with the socket.
 * Return a `Response` instead to refuse the upgrade with a real HTTP status.
 * @example
 * app.relic.get('/ws', async (req) => (await isAllowed(req))
 *   ? new WebSocketUpgrade((ws) => { ws.sendText('welcome') })
 *   : new Response('no', { status: 401 }))
 */
export declare class WebSocketUpgrade {
    /** Runs once the handshake is complete; the server does not wait for it. */
    readonly callback: WebSocketCallback;
    constructor(callback: WebSocketCallback);
}
