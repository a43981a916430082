import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify'
import { acceptEventStream } from './accept-event-stream.js'
import { acceptHijack } from './accept-hijack.js'
import { acceptWebSocket } from './accept-websocket.js'
import { FST_ERR_RELIC_INVALID_HANDLER, FST_ERR_RELIC_INVALID_ROUTE_OPTION } from './errors.js'
import type { EventStream } from './event-stream.js'
import type { Hijack } from './hijack.js'
import { resultKind } from './result.js'
import type { Connections } from './connections.js'
import type { PublishOptions } from './topics.js'
import type { RelicFacade } from './route-types.js'
import { kRouteHandler } from './symbols.js'
import { isUpgrade } from './upgrade-socket.js'
import type { WebSocketUpgrade } from './websocket-upgrade.js'

type Handler = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown
type Options = Record<string | symbol, unknown>

const SHORTHANDS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all'] as const

/**
 * The `app.relic` facade of one Fastify instance: its routes get that instance's prefix and
 * hooks; `connections` counts the app's open relic connections.
 */
export function createRoutes (instance: FastifyInstance, connections: Connections): RelicFacade {
  const routes: Record<string, unknown> = { route: (options: Options) => addRoute(instance, options) }
  for (const name of SHORTHANDS) {
    routes[name] = (url: string, options: unknown, handler?: unknown) =>
      addRoute(instance, shorthandOptions(instance, name, url, options, handler))
  }
  Object.defineProperty(routes, 'connections', { get: () => connections.size, enumerable: true })
  routes.publish = (topic: string, data: unknown, options?: PublishOptions) => { connections.topics.publish(topic, data, options) }
  routes.subscribers = (topic: string) => connections.topics.subscribers(topic)
  return routes as unknown as RelicFacade
}

// The three shorthand forms of Fastify: (url, handler), (url, options, handler), (url, options).
function shorthandOptions (instance: FastifyInstance, name: string, url: string, options: unknown, handler: unknown): Options {
  const method = name === 'all' ? instance.supportedMethods : name.toUpperCase()
  if (typeof options === 'function') return { method, url, handler: options }
  if (options === null || typeof options !== 'object') {
    throw new FST_ERR_RELIC_INVALID_ROUTE_OPTION(`${name.toUpperCase()} ${url}`, 'expected route options or a handler after the path')
  }
  if (handler !== undefined && (options as Options).handler !== undefined) {
    throw new FST_ERR_RELIC_INVALID_ROUTE_OPTION(`${name.toUpperCase()} ${url}`, 'give the handler once, as the last argument or as options.handler')
  }
  return { ...options, method, url, handler: handler ?? (options as Options).handler }
}

function addRoute (instance: FastifyInstance, options: Options): FastifyInstance {
  if (options === null || typeof options !== 'object') {
    throw new FST_ERR_RELIC_INVALID_ROUTE_OPTION('route()', 'expected an options object')
  }
  const name = `${String(options.method)} ${String(options.url)}`
  if (typeof options.handler !== 'function') throw new FST_ERR_RELIC_INVALID_HANDLER(name)
  if (options.websocket !== undefined || options.wsHandler !== undefined) {
    throw new FST_ERR_RELIC_INVALID_ROUTE_OPTION(name,
      'websocket and wsHandler are @fastify/websocket options; a relic handler returns a WebSocketUpgrade instead')
  }
  const handler = relicHandler(options.handler as Handler)
  // @fastify/websocket's onRoute hook wraps every handler and upgrades before it runs; the
  // plugin's own onRoute hook puts this one back from the symbol, so the handler decides.
  return instance.route({ ...options, handler, [kRouteHandler]: handler } as unknown as Parameters<FastifyInstance['route']>[0])
}

function relicHandler (handler: Handler): RouteHandlerMethod {
  // A `function`, so that `this` stays the encapsulated instance, as for any Fastify handler.
  return function relicRoute (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    const result = handler.call(this, request, reply)
    // Synchronous results stay synchronous: a handler that returns undefined and calls
    // reply.send() later must keep working as it does with Fastify.
    if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
      return (result as Promise<unknown>).then((value) => dispatch(this, value, request, reply))
    }
    return dispatch(this, result, request, reply)
  }
}

/** Carries out a relic result; anything else goes back to Fastify to send as usual. */
function dispatch (instance: FastifyInstance, value: unknown, request: FastifyRequest, reply: FastifyReply): unknown {
  switch (resultKind(value)) {
    case 'websocket-upgrade': return acceptWebSocket(instance, value as WebSocketUpgrade, request, reply)
    case 'hijack': return acceptHijack(instance, value as Hijack, request, reply)
    // A Response, sent as any other (a HEAD gets its head).
    case 'event-stream': value = acceptEventStream(instance, value as EventStream, request, reply)
  }
  // An HTTP answer to an upgrade request: the socket is destroyed once it is sent, so do not
  // promise the client a keep-alive connection.
  if (isUpgrade(request)) reply.header('connection', 'close')
  if (request.raw.method === 'HEAD' && value instanceof Response) return sendHead(reply, value)
  return value
}

// Fastify's HEAD handling of a GET route cannot measure a Response (it answers 500), so send its
// status and headers, and the body stream for Fastify to cancel unread.
function sendHead (reply: FastifyReply, response: Response): undefined {
  reply.code(response.status)
  for (const [name, value] of response.headers) if (name !== 'set-cookie') reply.header(name, value)
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) reply.header('set-cookie', cookies)
  reply.send(response.body ?? '')
  return undefined
}
