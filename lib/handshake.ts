import type { FastifyRequest } from 'fastify'
import { FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION, FST_ERR_RELIC_NO_SUBPROTOCOL, FST_ERR_RELIC_ORIGIN_FORBIDDEN } from './errors.js'
import { normalizeOrigin, type OriginPolicy, type ResolvedWebSocketOptions } from './websocket-options.js'

// The checks a WebSocket upgrade passes before the handshake, each refusing with an HTTP status.

/**
 * Refuses (403) an upgrade from a browser page of another site: cross-site WebSocket hijacking,
 * where a page rides on the user's cookies. Clients that send no `Origin` are not browsers and
 * pass, as in Relic.
 */
export function checkOrigin (request: FastifyRequest, policy: OriginPolicy): void {
  const origin = request.headers.origin
  if (origin === undefined || policy === 'any') return
  const allowed = typeof policy === 'function'
    ? policy(origin, request) === true
    : policy === 'same-host' ? isSameHost(origin, request) : policy.has(normalizeOrigin(origin) ?? '')
  if (!allowed) throw new FST_ERR_RELIC_ORIGIN_FORBIDDEN(JSON.stringify(origin))
}

// `request.host` is the Host header, or X-Forwarded-Host behind a trusted proxy (trustProxy).
function isSameHost (origin: string, request: FastifyRequest): boolean {
  if (normalizeOrigin(origin) === undefined) return false
  const { protocol, host } = new URL(origin)
  // Parsing the Host with the origin's scheme drops a default port, as the origin already has.
  return normalizeOrigin(`${protocol}//${request.host}`) === `${protocol}//${host}`
}

/**
 * The subprotocol to agree on, or `undefined` when the route has no `protocols` (the choice is
 * then `ws`'s, or a `handleProtocols` of @fastify/websocket's options). Refuses (400) a client
 * that offers none of the route's.
 */
export function chooseProtocol (request: FastifyRequest, { protocols }: ResolvedWebSocketOptions): string | undefined {
  if (protocols === undefined) return undefined
  const header = request.headers['sec-websocket-protocol']
  const offered = header === undefined ? [] : header.split(',').map((name) => name.trim()).filter((name) => name !== '')
  const chosen = typeof protocols === 'function'
    ? protocols(offered, request)
    : protocols.find((name) => offered.includes(name))
  if (chosen === undefined || chosen === null || chosen === false) throw new FST_ERR_RELIC_NO_SUBPROTOCOL(header ?? '(none)')
  if (!offered.includes(chosen)) {
    throw new FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION(`${request.method} ${request.url}`,
      `"protocols" chose ${JSON.stringify(chosen)}, which the client did not offer`)
  }
  return chosen
}
