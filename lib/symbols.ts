// Every private key of the plugin, in one place.

/**
 * Brand on every result object. `Symbol.for` (not a local symbol) so that a result built by one
 * installed copy of fastify-relic is recognised by another; the value names the kind of result.
 */
export const kResult: unique symbol = Symbol.for('fastify-relic.result')

/** The relic handler of a route, carried on the route options through Fastify's `onRoute` hooks. */
export const kRouteHandler: unique symbol = Symbol('fastify-relic.route-handler')

/** The bytes that followed an upgrade request's head, captured from the server's `upgrade` event. */
export const kUpgradeHead: unique symbol = Symbol('fastify-relic.upgrade-head')

/** The open relic connections of an app (a `Connections`), closed in `preClose`. */
export const kConnections: unique symbol = Symbol('fastify-relic.connections')

/** On a `ws` socket: the RelicWebSocket that wraps it. */
export const kRelicSocket: unique symbol = Symbol('fastify-relic.relic-socket')

/** The `ws` servers and WebSocket defaults of an app (a `WebSocketServers`). */
export const kWebSocketServers: unique symbol = Symbol('fastify-relic.websocket-servers')

/** On an upgrade request: the subprotocol and extra headers its handshake is to answer with. */
export const kHandshake: unique symbol = Symbol('fastify-relic.handshake')
