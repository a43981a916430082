import { STATUS_CODES } from 'node:http'
import { FST_ERR_RELIC_INVALID_HEAD } from './errors.js'

// An HTTP/1.1 response head written by hand, for a hijacked connection: checked so that no
// header can split the response, and merged with what Fastify's hooks set on the reply.

export type HeadValue = string | number | readonly string[]
export type HeadHeaders = Readonly<Record<string, HeadValue | undefined>>

/** An HTTP token: what a header name or a subprotocol name must be. */
export const TOKEN: RegExp = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const UNSAFE = /[\r\n\0]/

/**
 * The head for `status` with `headers` over `base` (a name given in `headers`, in any case,
 * replaces the one in `base`; `undefined` removes it). Adds `Date`, and `Connection: close`
 * unless the status is 101 or a `Connection` header is given: the response has no framing
 * Node knows of, so only the end of the connection can end it.
 */
export function formatHead (status: number, headers: HeadHeaders, base: HeadHeaders): string {
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new FST_ERR_RELIC_INVALID_HEAD(`status ${String(status)} is not a three-digit HTTP status`)
  }
  const merged = new Map<string, [string, HeadValue]>()
  for (const [name, value] of Object.entries(base)) if (value !== undefined) merged.set(name.toLowerCase(), [name, value])
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) merged.delete(name.toLowerCase())
    else merged.set(name.toLowerCase(), [name, value])
  }
  if (!merged.has('date')) merged.set('date', ['Date', new Date().toUTCString()])
  if (status !== 101 && !merged.has('connection')) merged.set('connection', ['Connection', 'close'])
  const fail = (message: string): never => { throw new FST_ERR_RELIC_INVALID_HEAD(message) }
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`
  for (const [name, value] of merged.values()) for (const line of headerLines(name, value, fail)) head += line + '\r\n'
  return head + '\r\n'
}

/**
 * `name: value` lines of one header (one per item of a list), or `fail(message)` for a name that
 * is not a token or a value that is not a string or number or holds CR, LF or NUL.
 */
export function headerLines (name: string, value: unknown, fail: (message: string) => never): string[] {
  if (!TOKEN.test(name)) fail(`header name ${JSON.stringify(name)} is not an HTTP token`)
  const lines: string[] = []
  for (const item of Array.isArray(value) ? value as unknown[] : [value]) {
    if ((typeof item !== 'string' && typeof item !== 'number') || UNSAFE.test(String(item))) {
      fail(`header "${name}" must be a string or number without CR, LF or NUL`)
    }
    lines.push(`${name}: ${String(item)}`)
  }
  return lines
}
