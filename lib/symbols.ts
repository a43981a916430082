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

/** The set of open hijacked connections of a root instance, ended in `preClose`. */
export const kHijacked: unique symbol = Symbol('fastify-relic.hijacked')
