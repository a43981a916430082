import Fastify, {
  type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyPluginCallback,
  type FastifyPluginOptions, type FastifyServerOptions, type FastifyTypeProviderDefault,
  type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault
} from 'fastify'
import { fastifyRelic } from './plugin.js'
import type { RelicRouteMethod, RelicRoutes, RelicShorthandMethod } from './route-types.js'

export interface ServeOptions {
  /** Default 8080. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
}

type Method = keyof RelicRoutes
type Shorthand = RelicShorthandMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression,
  FastifyTypeProviderDefault, FastifyBaseLogger, RelicApp>

/**
 * Relic's standalone style: a server built from relic routes, over a Fastify instance of its own.
 * @example
 * const app = new RelicApp({ logger: true })
 *   .get('/hello', () => new Response('Hello'))
 *   .get('/ws', () => new WebSocketUpgrade((ws) => ws.sendText('hi')))
 * const address = await app.serve({ port: 8080 })
 */
export class RelicApp {
  /** The Fastify instance underneath, for hooks, plugins and everything else. */
  readonly fastify: FastifyInstance
  readonly route: RelicRouteMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression,
    FastifyTypeProviderDefault, FastifyBaseLogger, RelicApp>
  readonly get: Shorthand
  readonly post: Shorthand
  readonly put: Shorthand
  readonly patch: Shorthand
  readonly delete: Shorthand
  readonly head: Shorthand
  readonly options: Shorthand
  readonly all: Shorthand

  constructor (options?: FastifyServerOptions) {
    this.fastify = Fastify(options)
    this.fastify.register(fastifyRelic)
    this.route = this.#method('route')
    this.get = this.#method('get')
    this.post = this.#method('post')
    this.put = this.#method('put')
    this.patch = this.#method('patch')
    this.delete = this.#method('delete')
    this.head = this.#method('head')
    this.options = this.#method('options')
    this.all = this.#method('all')
  }

  /** Registers a Fastify plugin on the underlying instance. */
  register<Options extends FastifyPluginOptions> (plugin: FastifyPluginAsync<Options>, options?: Options): this
  register<Options extends FastifyPluginOptions> (plugin: FastifyPluginCallback<Options>, options?: Options): this
  register<Options extends FastifyPluginOptions> (
    plugin: FastifyPluginCallback<Options> | FastifyPluginAsync<Options>, options: Options = {} as Options
  ): this {
    this.fastify.register(plugin as FastifyPluginAsync<Options>, options)
    return this
  }

  /** Starts listening; resolves with the bound address, such as `http://127.0.0.1:8080`. */
  async serve ({ port = 8080, host = '127.0.0.1' }: ServeOptions = {}): Promise<string> {
    return await this.fastify.listen({ port, host })
  }

  /** Closes the server and its connections. */
  async close (): Promise<void> {
    await this.fastify.close()
  }

  // Until fastify-relic has loaded, routes wait in Fastify's plugin queue (its onRoute hook must
  // see them), in the order they were declared among the plugins; once it has, they go straight
  // in, so that a route added after start fails at once with Fastify's own error.
  #method (method: Method): never {
    return ((...args: unknown[]) => {
      const add = (): unknown => (this.fastify.relic[method] as (...args: unknown[]) => unknown)(...args)
      if (this.fastify.hasDecorator('relic')) {
        add()
        return this
      }
      // Async, so that avvio receives a throw as a rejection and fails `ready()` with it.
      this.fastify.after(async (error) => {
        if (error != null) throw error
        add()
      })
      return this
    }) as never
  }
}
