import { FST_ERR_RELIC_NOT_A_RELIC_ROUTE } from './errors.js'
import { kResult } from './symbols.js'

/** The kinds of result a relic handler can return besides what Fastify itself sends. */
export type ResultKind = 'websocket-upgrade' | 'hijack' | 'event-stream'

/**
 * Marks every instance of a result class, on its prototype, with the shared brand. A result that
 * reaches Fastify's serializer came from a plain route (`app.get` where `app.relic.get` was
 * meant): `toJSON` turns that silent `{}` into a coded 500, at no cost on the relic path.
 */
export function brandResult (resultClass: abstract new (...args: never[]) => unknown, kind: ResultKind): void {
  Object.defineProperty(resultClass.prototype, kResult, { value: kind })
  Object.defineProperty(resultClass.prototype, 'toJSON', {
    value (): never { throw new FST_ERR_RELIC_NOT_A_RELIC_ROUTE(resultClass.name) }
  })
}

/** The brand of a handler's return value, or undefined when Fastify should send it as it is. */
export function resultKind (value: unknown): ResultKind | undefined {
  if (value === null || typeof value !== 'object') return undefined
  return (value as { [kResult]?: ResultKind })[kResult]
}
