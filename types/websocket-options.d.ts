import type { FastifyRequest } from 'fastify';
import type { PerMessageDeflateOptions } from 'ws';
/** Chooses the subprotocol from those the client offered; anything not offered is a server error. */
export type ProtocolChooser = (offered: string[], request: FastifyRequest) => string | false | null | undefined;
/** Decides whether a browser page from `origin` may open the WebSocket. */
export type OriginCheck = (origin: string, request: FastifyRequest) => boolean;
/**
 * The options of one WebSocket route (`new WebSocketUpgrade(callback, options)`), and the
 * plugin-wide defaults (`app.register(relic, options)`); a route's options override the defaults.
 */
export interface WebSocketOptions {
    /** Largest message in bytes; a larger one closes the connection with 1009. Default 100 MiB (`ws`'s). */
    maxPayload?: number;
    /** permessage-deflate: `true`, `false` (the default), or `ws`'s `PerMessageDeflateOptions`. */
    compression?: boolean | PerMessageDeflateOptions;
    /**
     * The subprotocols the route speaks, in order of preference, or a function choosing one of the
     * client's offers. A client offering none of them is refused with 400. Leave out: the client's
     * first offer is agreed (`ws`'s default), or a `handleProtocols` given to @fastify/websocket decides.
     */
    protocols?: readonly string[] | ProtocolChooser;
    /** Extra headers on the 101 response. */
    headers?: Readonly<Record<string, string | number | readonly string[]>>;
    /** Milliseconds between pings; a peer whose pong is missing at the next one is cut (1001). `null`: off (default). */
    pingInterval?: number | null;
    /**
     * Origins (`https://app.example.com`) whose pages may connect, or a function deciding. Default:
     * only the request's own host; requests without `Origin` (not from a browser) are accepted.
     */
    allowedOrigins?: readonly string[] | OriginCheck;
    /** Accept every `Origin`: for a public WebSocket API that checks credentials itself. */
    allowAnyOrigin?: boolean;
    /** Buffered messages at which `events` stops reading the connection. Default 64. */
    maxBufferedEvents?: number;
    /** Buffered message bytes at which `events` stops reading the connection. Default 1 MiB. */
    maxBufferedBytes?: number;
}
/** Who decides on a browser's `Origin`. */
export type OriginPolicy = 'same-host' | 'any' | ReadonlySet<string> | OriginCheck;
/** A route's options merged over the plugin's, in the form the upgrade uses. */
export interface ResolvedWebSocketOptions {
    readonly maxPayload: number | undefined;
    readonly compression: boolean | PerMessageDeflateOptions | undefined;
    readonly protocols: readonly string[] | ProtocolChooser | undefined;
    /** `name: value` lines for the 101 response. */
    readonly headerLines: readonly string[];
    readonly pingInterval: number | null;
    readonly origins: OriginPolicy;
    readonly maxBufferedEvents: number;
    readonly maxBufferedBytes: number;
}
/** The defaults of a plugin that was given none. */
export declare const DEFAULT_OPTIONS: ResolvedWebSocketOptions;
/** The longest delay Node's timers take; a longer one fires after 1 ms. */
export declare const MAX_TIMER: number;
/** Checks a ping interval: milliseconds above 0, or `null` for none. */
export declare function checkPingInterval(interval: unknown, where: string): void;
/** The WebSocket options among the plugin's options, which also carry Fastify's (`prefix`, …). */
export declare function pickWebSocketOptions(options: Record<string, unknown>): WebSocketOptions;
/**
 * Checks WebSocket options (a route's or the plugin's; `where` names which) and merges them over
 * `defaults`. Throws a coded TypeError naming the bad option.
 */
export declare function resolveWebSocketOptions(options: WebSocketOptions, defaults: ResolvedWebSocketOptions, where: string): ResolvedWebSocketOptions;
/** An origin in the form browsers send it (lower case, no default port, no path), or undefined. */
export declare function normalizeOrigin(origin: string): string | undefined;
