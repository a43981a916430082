import type { FastifyInstance, FastifyPluginAsync, RouteOptions } from 'fastify'
import fastifyWebsocket, { type WebsocketPluginOptions } from '@fastify/websocket'
import fp from 'fastify-plugin'
import { Connections } from './connections.js'
import type { PubSub } from './pubsub.js'
import { Topics } from './topics.js'
import { FST_ERR_RELIC_INVALID_OPTIONS } from './errors.js'
import type { RelicFacade } from './route-types.js'
import { createRoutes } from './routes.js'
import { kConnections, kRouteHandler, kWebSocketServers } from './symbols.js'
import { afterUpgrade, onUpgrade } from './upgrade-socket.js'
import { DEFAULT_OPTIONS, pickWebSocketOptions, resolveWebSocketOptions, type WebSocketOptions } from './websocket-options.js'
import { WebSocketServers } from './websocket-servers.js'

/** The plugin's options: the WebSocket options here are the defaults of every relic WebSocket route. */
export interface FastifyRelicOptions extends WebSocketOptions {
  /**
   * Options for the @fastify/websocket that fastify-relic registers when the instance has none.
   * Leave it out when you register @fastify/websocket yourself (before fastify-relic).
   */
  websocket?: WebsocketPluginOptions
  /**
   * Milliseconds a closing connection may take to finish cleanly (the WebSocket closing
   * handshake on `app.close()`, the last bytes of `sink.close()`) before it is cut. Default 5000.
   */
  gracePeriod?: number
  /**
   * The backplane that carries published messages to the other instances of the app
   * (`redis()` from `fastify-relic/redis`). Default: none, one process.
   */
  pubsub?: PubSub
  /**
   * Bytes that may wait to reach one topic subscriber before it is dropped as too slow (a
   * WebSocket closes with 1008, an event stream ends), so one slow client cannot hold memory or
   * slow the others. Default 4 MiB.
   */
  topicBufferLimit?: number
}

type RelicRouteOptions = RouteOptions & { [kRouteHandler]?: RouteOptions['handler'] }

function validate ({ websocket, gracePeriod, pubsub, topicBufferLimit }: FastifyRelicOptions): void {
  if (pubsub !== undefined && (pubsub === null || ['start', 'publish', 'subscribe', 'unsubscribe', 'close']
    .some((method) => typeof (pubsub as unknown as Record<string, unknown>)[method] !== 'function'))) {
    throw new FST_ERR_RELIC_INVALID_OPTIONS('"pubsub" must be a backplane with start, publish, subscribe, unsubscribe and close (redis() from fastify-relic/redis, say)')
  }
  if (topicBufferLimit !== undefined && !(Number.isSafeInteger(topicBufferLimit) && topicBufferLimit > 0)) {
    throw new FST_ERR_RELIC_INVALID_OPTIONS('"topicBufferLimit" must be a whole number of bytes, 1 or more')
  }
  if (websocket !== undefined && (websocket === null || typeof websocket !== 'object')) {
    throw new FST_ERR_RELIC_INVALID_OPTIONS('"websocket" must be an options object for @fastify/websocket')
  }
  if (gracePeriod !== undefined && !(typeof gracePeriod === 'number' && gracePeriod >= 0 && Number.isFinite(gracePeriod))) {
    throw new FST_ERR_RELIC_INVALID_OPTIONS('"gracePeriod" must be a number of milliseconds, 0 or more')
  }
}

async function relic (fastify: FastifyInstance, options: FastifyRelicOptions): Promise<void> {
  validate(options)
  const { websocket, gracePeriod } = options
  const defaults = resolveWebSocketOptions(pickWebSocketOptions(options as Record<string, unknown>), DEFAULT_OPTIONS, 'plugin options')
  const topics = new Topics(options.topicBufferLimit ?? 4 * 1024 * 1024, options.pubsub, fastify.log)
  await topics.start()
  fastify.addHook('onClose', async () => { await topics.close() })
  const connections = new Connections(gracePeriod ?? 5000, topics)
  fastify.decorate(kConnections, connections)
  // Added before @fastify/websocket (when we register it), so that relic WebSockets get their
  // 1001 before its own preClose closes every client without a code.
  fastify.addHook('preClose', async () => { await connections.close() })

  if (!fastify.hasDecorator('websocketServer')) {
    await registerWebsocket(fastify, websocket ?? {})
  } else if (websocket !== undefined) {
    throw new FST_ERR_RELIC_INVALID_OPTIONS('"websocket" cannot apply: @fastify/websocket is already registered, so configure it there')
  }
  fastify.decorate(kWebSocketServers, new WebSocketServers(fastify.websocketServer, defaults))

  // On the server @fastify/websocket listens to: one listener before its own (which routes the
  // request), one after.
  const server = websocket?.options?.server ?? fastify.server
  server.prependListener('upgrade', onUpgrade)
  server.on('upgrade', afterUpgrade)
  fastify.addHook('onClose', (_instance, done) => {
    server.removeListener('upgrade', onUpgrade)
    server.removeListener('upgrade', afterUpgrade)
    done()
  })

  // Runs after @fastify/websocket's onRoute hook (registered first, above or by the user), and
  // puts back the relic handler it wrapped, so that the handler runs before any upgrade.
  fastify.addHook('onRoute', (route: RelicRouteOptions) => {
    const handler = route[kRouteHandler]
    if (handler !== undefined) route.handler = handler
  })

  const facades = new WeakMap<FastifyInstance, RelicFacade>()
  fastify.decorate('relic', {
    // A getter, so that `child.relic` registers on the child: its prefix, hooks and encapsulation.
    getter (this: FastifyInstance): RelicFacade {
      let routes = facades.get(this)
      if (routes === undefined) facades.set(this, routes = createRoutes(this, connections))
      return routes
    }
  })
}

// @fastify/websocket adds an onRequest and an onResponse hook, and a wrapper, to every route of
// the context it is registered in: about a tenth more CPU per plain HTTP request (bench http).
// Registered in a context of its own, it serves relic routes and costs other routes nothing;
// its server and injectWS are decorated onto the app as usual.
async function registerWebsocket (fastify: FastifyInstance, options: WebsocketPluginOptions): Promise<void> {
  let inner: FastifyInstance | undefined
  await fastify.register(async (child) => {
    await child.register(fastifyWebsocket, options)
    inner = child
  })
  const { websocketServer, injectWS } = inner as FastifyInstance
  fastify.decorate('websocketServer', websocketServer)
  fastify.decorate('injectWS', injectWS)
}

/**
 * The fastify-relic plugin: decorates the instance with `app.relic`, whose route handlers may
 * return a `Response`, a `WebSocketUpgrade` or a `Hijack`.
 * @example
 * await app.register(fastifyRelic)
 * app.relic.get('/ws', () => new WebSocketUpgrade((ws) => ws.sendText('hi')))
 */
export const fastifyRelic: FastifyPluginAsync<FastifyRelicOptions> = fp(relic, { fastify: '5.x', name: 'fastify-relic' })
