import type { ContextConfigDefault, FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, FastifyTypeProvider, FastifyTypeProviderDefault, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerBase, RawServerDefault, RouteGenericInterface, RouteHandlerMethod, RouteOptions, RouteShorthandOptions } from 'fastify';
import type { EventStream } from './event-stream.js';
import type { Hijack } from './hijack.js';
import type { PathParams } from './path-params.js';
import type { PublishOptions } from './topics.js';
import type { WebSocketUpgrade } from './websocket-upgrade.js';
/** What a relic handler may return besides what a Fastify handler may: Relic's three results and the EventStream. */
export type RelicResult = Response | WebSocketUpgrade | Hijack | EventStream;
/**
 * The route generic with params typed from the path, unless the generic or the schema (through a
 * type provider) already types them.
 */
export type WithPathParams<RouteGeneric extends RouteGenericInterface, SchemaCompiler extends FastifySchema, TypeProvider extends FastifyTypeProvider, Path extends string> = unknown extends FastifyRequest<RouteGeneric, RawServerDefault, RawRequestDefaultExpression, SchemaCompiler, TypeProvider>['params'] ? RouteGeneric & {
    Params: PathParams<Path>;
} : RouteGeneric;
/** A relic route handler: a Fastify handler that may also return a `RelicResult`. */
export type RelicHandler<RawServer extends RawServerBase = RawServerDefault, RawRequest extends RawRequestDefaultExpression<RawServer> = RawRequestDefaultExpression<RawServer>, RawReply extends RawReplyDefaultExpression<RawServer> = RawReplyDefaultExpression<RawServer>, RouteGeneric extends RouteGenericInterface = RouteGenericInterface, ContextConfig = ContextConfigDefault, SchemaCompiler extends FastifySchema = FastifySchema, TypeProvider extends FastifyTypeProvider = FastifyTypeProviderDefault, Logger extends FastifyBaseLogger = FastifyBaseLogger> = (this: FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider>, request: FastifyRequest<RouteGeneric, RawServer, RawRequest, SchemaCompiler, TypeProvider, ContextConfig, Logger>, reply: FastifyReply<RouteGeneric, RawServer, RawRequest, RawReply, ContextConfig, SchemaCompiler, TypeProvider>) => RelicReturn<ReturnType<RouteHandlerMethod<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, SchemaCompiler, TypeProvider, Logger>>>;
type RelicReturn<FastifyReturn> = Awaited<FastifyReturn> | RelicResult | Promise<Awaited<FastifyReturn> | RelicResult>;
/** Shorthand route options with the handler inside, as for `app.get(path, { handler })`. */
export type RelicShorthandOptionsWithHandler<RawServer extends RawServerBase, RawRequest extends RawRequestDefaultExpression<RawServer>, RawReply extends RawReplyDefaultExpression<RawServer>, RouteGeneric extends RouteGenericInterface, ContextConfig, SchemaCompiler extends FastifySchema, TypeProvider extends FastifyTypeProvider, Logger extends FastifyBaseLogger> = RouteShorthandOptions<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, SchemaCompiler, TypeProvider, Logger> & {
    handler: RelicHandler<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, NoInfer<SchemaCompiler>, TypeProvider, Logger>;
};
/** `app.relic.route(options)`: Fastify's route options, with a relic handler. */
export type RelicRouteOptions<RawServer extends RawServerBase, RawRequest extends RawRequestDefaultExpression<RawServer>, RawReply extends RawReplyDefaultExpression<RawServer>, RouteGeneric extends RouteGenericInterface, ContextConfig, SchemaCompiler extends FastifySchema, TypeProvider extends FastifyTypeProvider, Logger extends FastifyBaseLogger, Path extends string = string> = Omit<RouteOptions<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, SchemaCompiler, TypeProvider, Logger>, 'handler' | 'url'> & {
    url: Path;
    handler: RelicHandler<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, NoInfer<SchemaCompiler>, TypeProvider, Logger>;
};
/** `app.relic.get` and the other shorthands: the same three forms as `app.get`. */
export interface RelicShorthandMethod<RawServer extends RawServerBase = RawServerDefault, RawRequest extends RawRequestDefaultExpression<RawServer> = RawRequestDefaultExpression<RawServer>, RawReply extends RawReplyDefaultExpression<RawServer> = RawReplyDefaultExpression<RawServer>, TypeProvider extends FastifyTypeProvider = FastifyTypeProviderDefault, Logger extends FastifyBaseLogger = FastifyBaseLogger, Return = FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider>> {
    <RouteGeneric extends RouteGenericInterface = RouteGenericInterface, ContextConfig = ContextConfigDefault, const SchemaCompiler extends FastifySchema = FastifySchema, const Path extends string = string>(path: Path, opts: RouteShorthandOptions<RawServer, RawRequest, RawReply, WithPathParams<RouteGeneric, SchemaCompiler, TypeProvider, Path>, ContextConfig, SchemaCompiler, TypeProvider, Logger>, handler: RelicHandler<RawServer, RawRequest, RawReply, WithPathParams<RouteGeneric, SchemaCompiler, TypeProvider, Path>, ContextConfig, SchemaCompiler, TypeProvider, Logger>): Return;
    <RouteGeneric extends RouteGenericInterface = RouteGenericInterface, ContextConfig = ContextConfigDefault, const SchemaCompiler extends FastifySchema = FastifySchema, const Path extends string = string>(path: Path, handler: RelicHandler<RawServer, RawRequest, RawReply, WithPathParams<RouteGeneric, SchemaCompiler, TypeProvider, Path>, ContextConfig, SchemaCompiler, TypeProvider, Logger>): Return;
    <RouteGeneric extends RouteGenericInterface = RouteGenericInterface, ContextConfig = ContextConfigDefault, const SchemaCompiler extends FastifySchema = FastifySchema, const Path extends string = string>(path: Path, opts: RelicShorthandOptionsWithHandler<RawServer, RawRequest, RawReply, WithPathParams<RouteGeneric, SchemaCompiler, TypeProvider, Path>, ContextConfig, SchemaCompiler, TypeProvider, Logger>): Return;
}
/** `app.relic.route(options)`. */
export interface RelicRouteMethod<RawServer extends RawServerBase = RawServerDefault, RawRequest extends RawRequestDefaultExpression<RawServer> = RawRequestDefaultExpression<RawServer>, RawReply extends RawReplyDefaultExpression<RawServer> = RawReplyDefaultExpression<RawServer>, TypeProvider extends FastifyTypeProvider = FastifyTypeProviderDefault, Logger extends FastifyBaseLogger = FastifyBaseLogger, Return = FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider>> {
    <RouteGeneric extends RouteGenericInterface = RouteGenericInterface, ContextConfig = ContextConfigDefault, const SchemaCompiler extends FastifySchema = FastifySchema, const Path extends string = string>(opts: RelicRouteOptions<RawServer, RawRequest, RawReply, WithPathParams<RouteGeneric, SchemaCompiler, TypeProvider, Path>, ContextConfig, SchemaCompiler, TypeProvider, Logger, Path>): Return;
}
/** The route methods of `app.relic` (and of `RelicApp`, where they return the app). */
export interface RelicRoutes<RawServer extends RawServerBase = RawServerDefault, RawRequest extends RawRequestDefaultExpression<RawServer> = RawRequestDefaultExpression<RawServer>, RawReply extends RawReplyDefaultExpression<RawServer> = RawReplyDefaultExpression<RawServer>, TypeProvider extends FastifyTypeProvider = FastifyTypeProviderDefault, Logger extends FastifyBaseLogger = FastifyBaseLogger, Return = FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider>> {
    route: RelicRouteMethod<RawServer, RawRequest, RawReply, TypeProvider, Logger, Return>;
    get: RelicShorthandMethod<RawServer, RawRequest, RawReply, TypeProvider, Logger, Return>;
    post: RelicShorthandMethod<RawServer, RawRequest, RawReply, TypeProvider, Logger, Return>;
    put: RelicShorthandMethod<RawServer, RawRequest, RawReply, TypeProvider, Logger, Return>;
    patch: RelicShorthandMethod<RawServer, RawRequest, RawReply, TypeProvider, Logger, Return>;
    delete: RelicShorthandMethod<RawServer, RawRequest, RawReply, TypeProvider, Logger, Return>;
    head: RelicShorthandMethod<RawServer, RawRequest, RawReply, TypeProvider, Logger, Return>;
    options: RelicShorthandMethod<RawServer, RawRequest, RawReply, TypeProvider, Logger, Return>;
    all: RelicShorthandMethod<RawServer, RawRequest, RawReply, TypeProvider, Logger, Return>;
}
/** `app.relic`: the route methods, and what the plugin can tell about its connections. */
export type RelicFacade<RawServer extends RawServerBase = RawServerDefault, RawRequest extends RawRequestDefaultExpression<RawServer> = RawRequestDefaultExpression<RawServer>, RawReply extends RawReplyDefaultExpression<RawServer> = RawReplyDefaultExpression<RawServer>, TypeProvider extends FastifyTypeProvider = FastifyTypeProviderDefault, Logger extends FastifyBaseLogger = FastifyBaseLogger> = RelicRoutes<RawServer, RawRequest, RawReply, TypeProvider, Logger> & {
    /** The app's open relic WebSockets, hijacked connections and event streams, right now. */
    readonly connections: number;
    /**
     * Sends `data` (text, bytes, or a value as JSON) to every subscriber of `topic`, here and, with
     * a backplane, on every other instance; `options.except` skips one local subscriber.
     */
    publish(topic: string, data: unknown, options?: PublishOptions): void;
    /** The subscribers of `topic` on this instance. */
    subscribers(topic: string): number;
};
declare module 'fastify' {
    interface FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider> {
        /** Routes whose handlers may return a `Response`, `WebSocketUpgrade` or `Hijack`. */
        relic: RelicFacade<RawServer, RawRequest, RawReply, TypeProvider, Logger>;
    }
}
export {};
