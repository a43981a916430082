import type { FastifyBaseLogger } from 'fastify'

// The backplane interface: how published messages reach the other instances of an app. The
// default is none (one process); `fastify-relic/redis` ships one over Redis pub/sub, and NATS or
// PostgreSQL LISTEN/NOTIFY can implement the same five methods.

/** A published message, encoded once for every subscriber. */
export interface TopicMessage {
  /** Sent as a binary WebSocket message (and as UTF-8 text to event streams). */
  readonly binary: boolean
  /** The payload as bytes. */
  readonly bytes: Uint8Array
  /** The payload as text, when it is text. */
  readonly text: string | undefined
  /** The event type event streams see. */
  readonly event: string | undefined
}

/** Called by a backplane for each message published on any instance. */
export type DeliverFunction = (topic: string, message: TopicMessage, origin: string) => void

/**
 * A pub/sub backplane. fastify-relic calls `subscribe` when a topic gets its first subscriber on
 * this instance and `unsubscribe` when it loses its last, so a backplane holds one subscription
 * per topic per instance, not per socket. `origin` names the publishing instance, which has
 * delivered the message locally already. Any method may be async; failures are logged and
 * counted, never thrown at a publisher.
 */
export interface PubSub {
  /** Connects; from then on, `deliver` each message published on any instance. Log outages on `log`. */
  start (deliver: DeliverFunction, log: FastifyBaseLogger): void | Promise<void>
  publish (topic: string, message: TopicMessage, origin: string): void | Promise<void>
  subscribe (topic: string): void | Promise<void>
  unsubscribe (topic: string): void | Promise<void>
  close (): void | Promise<void>
}

/** A message as one string on the wire: `origin`, kind and event before the payload. */
export function encodeMessage (message: TopicMessage, origin: string): string {
  const payload = message.binary ? Buffer.from(message.bytes).toString('base64') : message.text as string
  return JSON.stringify([origin, message.binary ? 1 : 0, message.event ?? null, payload])
}

/** The message and its origin from `encodeMessage`'s string; undefined for anything else. */
export function decodeMessage (wire: string): { message: TopicMessage, origin: string } | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(wire)
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined
  const [origin, binary, event, payload] = parsed as [unknown, unknown, unknown, unknown]
  if (typeof origin !== 'string' || typeof payload !== 'string') return undefined
  // An event type that could break an event stream's format is not one fastify-relic sent.
  if (event !== null && (typeof event !== 'string' || /[\r\n]/.test(event))) return undefined
  const message: TopicMessage = binary === 1
    ? { binary: true, bytes: Buffer.from(payload, 'base64'), text: undefined, event: event ?? undefined }
    : { binary: false, bytes: Buffer.from(payload), text: payload, event: event ?? undefined }
  return { message, origin }
}
