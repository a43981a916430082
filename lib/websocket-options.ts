import type { FastifyRequest } from 'fastify'
import type { PerMessageDeflateOptions } from 'ws'
import { FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION } from './errors.js'
import { TOKEN, headerLines } from './http-head.js'

/** Chooses the subprotocol from those the client offered; anything not offered is a server error. */
export type ProtocolChooser = (offered: string[], request: FastifyRequest) => string | false | null | undefined
/** Decides whether a browser page from `origin` may open the WebSocket. */
export type OriginCheck = (origin: string, request: FastifyRequest) => boolean

/**
 * The options of one WebSocket route (`new WebSocketUpgrade(callback, options)`), and the
 * plugin-wide defaults (`app.register(relic, options)`); a route's options override the defaults.
 */
export interface WebSocketOptions {
  /** Largest message in bytes; a larger one closes the connection with 1009. Default 100 MiB (`ws`'s). */
  maxPayload?: number
  /** permessage-deflate: `true`, `false` (the default), or `ws`'s `PerMessageDeflateOptions`. */
  compression?: boolean | PerMessageDeflateOptions
  /**
   * The subprotocols the route speaks, in order of preference, or a function choosing one of the
   * client's offers. A client offering none of them is refused with 400. Leave out: the client's
   * first offer is agreed (`ws`'s default), or a `handleProtocols` given to @fastify/websocket decides.
   */
  protocols?: readonly string[] | ProtocolChooser
  /** Extra headers on the 101 response. */
  headers?: Readonly<Record<string, string | number | readonly string[]>>
  /** Milliseconds between pings; a peer whose pong is missing at the next one is cut (1001). `null`: off (default). */
  pingInterval?: number | null
  /**
   * Origins (`https://app.example.com`) whose pages may connect, or a function deciding. Default:
   * only the request's own host; requests without `Origin` (not from a browser) are accepted.
   */
  allowedOrigins?: readonly string[] | OriginCheck
  /** Accept every `Origin`: for a public WebSocket API that checks credentials itself. */
  allowAnyOrigin?: boolean
  /** Buffered messages at which `events` stops reading the connection. Default 64. */
  maxBufferedEvents?: number
  /** Buffered message bytes at which `events` stops reading the connection. Default 1 MiB. */
  maxBufferedBytes?: number
}

/** Who decides on a browser's `Origin`. */
export type OriginPolicy = 'same-host' | 'any' | ReadonlySet<string> | OriginCheck

/** A route's options merged over the plugin's, in the form the upgrade uses. */
export interface ResolvedWebSocketOptions {
  readonly maxPayload: number | undefined
  readonly compression: boolean | PerMessageDeflateOptions | undefined
  readonly protocols: readonly string[] | ProtocolChooser | undefined
  /** `name: value` lines for the 101 response. */
  readonly headerLines: readonly string[]
  readonly pingInterval: number | null
  readonly origins: OriginPolicy
  readonly maxBufferedEvents: number
  readonly maxBufferedBytes: number
}

// The handshake's own headers: `ws` writes them, and a second copy would break the handshake.
const HANDSHAKE_HEADERS = new Set(['upgrade', 'connection', 'sec-websocket-accept', 'sec-websocket-protocol', 'sec-websocket-extensions'])
const KEYS = new Set(['maxPayload', 'compression', 'protocols', 'headers', 'pingInterval', 'allowedOrigins',
  'allowAnyOrigin', 'maxBufferedEvents', 'maxBufferedBytes'])

const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value > 0

/** The defaults of a plugin that was given none. */
export const DEFAULT_OPTIONS: ResolvedWebSocketOptions = Object.freeze({
  maxPayload: undefined,
  compression: undefined,
  protocols: undefined,
  headerLines: Object.freeze([]),
  pingInterval: null,
  origins: 'same-host',
  maxBufferedEvents: 64,
  maxBufferedBytes: 1024 * 1024
})

/** The longest delay Node's timers take; a longer one fires after 1 ms. */
export const MAX_TIMER: number = 2 ** 31 - 1

/** Checks a ping interval: milliseconds above 0, or `null` for none. */
export function checkPingInterval (interval: unknown, where: string): void {
  if (interval !== null && !(typeof interval === 'number' && interval > 0 && interval <= MAX_TIMER)) {
    throw new FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION(where, '"pingInterval" must be a number of milliseconds from 1 to 2147483647 (about 24 days), or null for none')
  }
}

/** The WebSocket options among the plugin's options, which also carry Fastify's (`prefix`, …). */
export function pickWebSocketOptions (options: Record<string, unknown>): WebSocketOptions {
  return Object.fromEntries(Object.entries(options).filter(([key]) => KEYS.has(key)))
}

/**
 * Checks WebSocket options (a route's or the plugin's; `where` names which) and merges them over
 * `defaults`. Throws a coded TypeError naming the bad option.
 */
export function resolveWebSocketOptions (options: WebSocketOptions, defaults: ResolvedWebSocketOptions, where: string): ResolvedWebSocketOptions {
  const fail = (message: string): never => { throw new FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION(where, message) }
  const { maxPayload, compression, protocols, headers, pingInterval, allowedOrigins, allowAnyOrigin, maxBufferedEvents, maxBufferedBytes } = options
  if (maxPayload !== undefined && !isCount(maxPayload)) fail('"maxPayload" must be a whole number of bytes, 1 or more')
  if (compression !== undefined && typeof compression !== 'boolean' && (compression === null || typeof compression !== 'object')) {
    fail('"compression" must be true, false or permessage-deflate options')
  }
  if (pingInterval !== undefined) checkPingInterval(pingInterval, where)
  if (maxBufferedEvents !== undefined && !isCount(maxBufferedEvents)) fail('"maxBufferedEvents" must be a whole number, 1 or more')
  if (maxBufferedBytes !== undefined && !isCount(maxBufferedBytes)) fail('"maxBufferedBytes" must be a whole number of bytes, 1 or more')
  if (allowAnyOrigin !== undefined && typeof allowAnyOrigin !== 'boolean') fail('"allowAnyOrigin" must be a boolean')
  if (allowAnyOrigin === true && allowedOrigins !== undefined) fail('give "allowedOrigins" or "allowAnyOrigin", not both')
  for (const key of Object.keys(options)) if (!KEYS.has(key)) fail(`unknown option "${key}"`)
  return {
    maxPayload: maxPayload ?? defaults.maxPayload,
    compression: compression ?? defaults.compression,
    protocols: protocols === undefined ? defaults.protocols : checkProtocols(protocols, fail),
    headerLines: headers === undefined ? defaults.headerLines : mergeHeaders(defaults.headerLines, extraHeaders(headers, fail)),
    pingInterval: pingInterval === undefined ? defaults.pingInterval : pingInterval,
    origins: originPolicy(allowedOrigins, allowAnyOrigin, fail) ?? defaults.origins,
    maxBufferedEvents: maxBufferedEvents ?? defaults.maxBufferedEvents,
    maxBufferedBytes: maxBufferedBytes ?? defaults.maxBufferedBytes
  }
}

function checkProtocols (protocols: unknown, fail: (message: string) => never): readonly string[] | ProtocolChooser {
  if (typeof protocols === 'function') return protocols as ProtocolChooser
  if (!Array.isArray(protocols) || protocols.length === 0 || !protocols.every((name) => typeof name === 'string' && TOKEN.test(name))) {
    fail('"protocols" must be a function or a non-empty list of subprotocol names (HTTP tokens)')
  }
  return Object.freeze([...protocols as string[]])
}

function extraHeaders (headers: unknown, fail: (message: string) => never): string[] {
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) fail('"headers" must be an object of header names and values')
  const lines: string[] = []
  for (const [name, value] of Object.entries(headers as object)) {
    if (HANDSHAKE_HEADERS.has(name.toLowerCase())) fail(`header "${name}" is part of the handshake and set by it`)
    lines.push(...headerLines(name, value, fail))
  }
  return lines
}

// A route's header replaces the plugin's of the same name; the others stay.
function mergeHeaders (defaults: readonly string[], route: string[]): readonly string[] {
  const nameOf = (line: string): string => line.slice(0, line.indexOf(':')).toLowerCase()
  const replaced = new Set(route.map(nameOf))
  return Object.freeze([...defaults.filter((line) => !replaced.has(nameOf(line))), ...route])
}

function originPolicy (allowed: unknown, any: boolean | undefined, fail: (message: string) => never): OriginPolicy | undefined {
  if (any === true) return 'any'
  if (allowed === undefined) return any === false ? 'same-host' : undefined
  if (typeof allowed === 'function') return allowed as OriginCheck
  if (!Array.isArray(allowed) || !allowed.every((origin) => typeof origin === 'string')) {
    fail('"allowedOrigins" must be a list of origins or a function')
  }
  return new Set((allowed as string[]).map((origin) => normalizeOrigin(origin) ?? fail(`"${origin}" is not an origin (scheme://host[:port])`)))
}

/** An origin in the form browsers send it (lower case, no default port, no path), or undefined. */
export function normalizeOrigin (origin: string): string | undefined {
  try {
    const url = new URL(origin)
    return url.origin === 'null' ? undefined : url.origin
  } catch {
    return undefined
  }
}
