import { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyPluginCallback, type FastifyPluginOptions, type FastifyServerOptions, type FastifyTypeProviderDefault, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import type { RelicRouteMethod, RelicShorthandMethod } from './route-types.js';
export interface ServeOptions {
    /** Default 8080. */
    port?: number;
    /** Default 127.0.0.1. */
    host?: string;
}
type Shorthand = RelicShorthandMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyTypeProviderDefault, FastifyBaseLogger, RelicApp>;
/**
 * Relic's standalone style: a server built from relic routes, over a Fastify instance of its own.
 * @example
 * const app = new RelicApp({ logger: true })
 *   .get('/hello', () => new Response('Hello'))
 *   .get('/ws', () => new WebSocketUpgrade((ws) => ws.sendText('hi')))
 * const address = await app.serve({ port: 8080 })
 */
export declare class RelicApp {
    #private;
    /** The Fastify instance underneath, for hooks, plugins and everything else. */
    readonly fastify: FastifyInstance;
    readonly route: RelicRouteMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyTypeProviderDefault, FastifyBaseLogger, RelicApp>;
    readonly get: Shorthand;
    readonly post: Shorthand;
    readonly put: Shorthand;
    readonly patch: Shorthand;
    readonly delete: Shorthand;
    readonly head: Shorthand;
    readonly options: Shorthand;
    readonly all: Shorthand;
    constructor(options?: FastifyServerOptions);
    /** Registers a Fastify plugin on the underlying instance. */
    register<Options extends FastifyPluginOptions>(plugin: FastifyPluginAsync<Options>, options?: Options): this;
    register<Options extends FastifyPluginOptions>(plugin: FastifyPluginCallback<Options>, options?: Options): this;
    /** Starts listening; resolves with the bound address, such as `http://127.0.0.1:8080`. */
    serve({ port, host }?: ServeOptions): Promise<string>;
    /** Closes the server and its connections. */
    close(): Promise<void>;
}
export {};
