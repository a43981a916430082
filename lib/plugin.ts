import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, FastifyPluginAsync, RouteOptions } from 'fastify'
import fastifyWebsocket, { type WebsocketPluginOptions } from '@fastify/websocket'
import fp from 'fastify-plugin'
import { FST_ERR_RELIC_INVALID_OPTIONS } from './errors.js'
import type { RelicRoutes } from './route-types.js'
import { createRoutes } from './routes.js'
import type { HijackChannel } from './hijack-channel.js'
import { kHijacked, kRouteHandler, kUpgradeHead } from './symbols.js'

export interface FastifyRelicOptions {
  /**
   * Options for the @fastify/websocket that fastify-relic registers when the instance has none.
   * Leave it out when you register @fastify/websocket yourself (before fastify-relic).
   */
  websocket?: WebsocketPluginOptions
}

type RelicRouteOptions = RouteOptions & { [kRouteHandler]?: RouteOptions['handler'] }

async function relic (fastify: FastifyInstance, options: FastifyRelicOptions): Promise<void> {
  const { websocket } = options
  if (websocket !== undefined && (websocket === null || typeof websocket !== 'object')) {
    throw new FST_ERR_RELIC_INVALID_OPTIONS('"websocket" must be an options object for @fastify/websocket')
  }
  if (!fastify.hasDecorator('websocketServer')) {
    await fastify.register(fastifyWebsocket, websocket ?? {})
  } else if (websocket !== undefined) {
    throw new FST_ERR_RELIC_INVALID_OPTIONS('"websocket" cannot apply: @fastify/websocket is already registered, so configure it there')
  }

  // @fastify/websocket keeps the bytes that came with an upgrade request's head to itself; a
  // hijacked custom protocol needs them, so keep them too. Prepended, so they are there before
  // @fastify/websocket's listener routes the request.
  const server = websocket?.options?.server ?? fastify.server
  const keepHead = (request: IncomingMessage, _socket: unknown, head: Buffer): void => {
    if (head.length > 0) (request as { [kUpgradeHead]?: Buffer })[kUpgradeHead] = head
  }
  server.prependListener('upgrade', keepHead)
  fastify.addHook('onClose', (_instance, done) => {
    server.removeListener('upgrade', keepHead)
    done()
  })

  // Runs after @fastify/websocket's onRoute hook (registered first, above or by the user), and
  // puts back the relic handler it wrapped, so that the handler runs before any upgrade.
  fastify.addHook('onRoute', (route: RelicRouteOptions) => {
    const handler = route[kRouteHandler]
    if (handler !== undefined) route.handler = handler
  })

  // Hijacked connections are ended (flushed, then closed) when the server closes.
  const hijacked = new Set<HijackChannel>()
  fastify.decorate(kHijacked, hijacked)
  fastify.addHook('preClose', (done) => {
    for (const channel of hijacked) void channel.sink.close()
    done()
  })

  const facades = new WeakMap<FastifyInstance, RelicRoutes>()
  fastify.decorate('relic', {
    // A getter, so that `child.relic` registers on the child: its prefix, hooks and encapsulation.
    getter (this: FastifyInstance): RelicRoutes {
      let routes = facades.get(this)
      if (routes === undefined) facades.set(this, routes = createRoutes(this))
      return routes
    }
  })
}

/**
 * The fastify-relic plugin: decorates the instance with `app.relic`, whose route handlers may
 * return a `Response`, a `WebSocketUpgrade` or a `Hijack`.
 * @example
 * await app.register(fastifyRelic)
 * app.relic.get('/ws', () => new WebSocketUpgrade((ws) => ws.sendText('hi')))
 */
export const fastifyRelic: FastifyPluginAsync<FastifyRelicOptions> = fp(relic, { fastify: '5.x', name: 'fastify-relic' })
