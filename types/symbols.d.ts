/**
 * Brand on every result object. `Symbol.for` (not a local symbol) so that a result built by one
 * installed copy of fastify-relic is recognised by another; the value names the kind of result.
 */
export declare const kResult: unique symbol;
/** The relic handler of a route, carried on the route options through Fastify's `onRoute` hooks. */
export declare const kRouteHandler: unique symbol;
/** The bytes that followed an upgrade request's head, captured from the server's `upgrade` event. */
export declare const kUpgradeHead: unique symbol;
/** The open relic connections of an app (a `Connections`), closed in `preClose`. */
export declare const kConnections: unique symbol;
/** On a `ws` socket: the RelicWebSocket that wraps it. */
export declare const kRelicSocket: unique symbol;
/** The `ws` servers and WebSocket defaults of an app (a `WebSocketServers`). */
export declare const kWebSocketServers: unique symbol;
/** On an upgrade request: the subprotocol and extra headers its handshake is to answer with. */
export declare const kHandshake: unique symbol;
