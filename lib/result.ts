import { kResult } from './symbols.js'

/** The kinds of result a relic handler can return besides what Fastify itself sends. */
export type ResultKind = 'websocket-upgrade' | 'hijack'

/** Marks every instance of a result class, on its prototype, with the shared brand. */
export function brandResult (resultClass: abstract new (...args: never[]) => unknown, kind: ResultKind): void {
  Object.defineProperty(resultClass.prototype, kResult, { value: kind })
}

/** The brand of a handler's return value, or undefined when Fastify should send it as it is. */
export function resultKind (value: unknown): ResultKind | undefined {
  if (value === null || typeof value !== 'object') return undefined
  return (value as { [kResult]?: ResultKind })[kResult]
}
