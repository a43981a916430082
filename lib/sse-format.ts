import { FST_ERR_RELIC_INVALID_SSE_EVENT } from './errors.js'

// The text/event-stream format (WHATWG HTML, "Server-sent events"), written safely: a field that
// could end its line early is refused, so one event cannot smuggle in another.

/** One event for `events.send`. */
export interface ServerSentEvent {
  /** A string (each line becomes a `data:` line) or any JSON-serialisable value. */
  data: unknown
  /** The event type, for `addEventListener(type)` on the client; `message` when left out. */
  event?: string
  /** The id the client sends back as `Last-Event-ID` when it reconnects. */
  id?: string
  /** Milliseconds the client should wait before reconnecting. */
  retry?: number
}

/** An event as a replay store keeps it: with an id, and its data as the text that was sent. */
export interface StoredEvent {
  id: string
  data: string
  event?: string
}

const LINE_BREAK = /\r\n|\r|\n/
const UNSAFE = /[\r\n]/
const UNSAFE_ID = /[\r\n\0]/

const fail = (message: string): never => { throw new FST_ERR_RELIC_INVALID_SSE_EVENT(message) }

/** The data of an event as text: strings as they are, anything else as JSON. */
export function dataText (data: unknown): string {
  if (typeof data === 'string') return data
  const json: string | undefined = data === undefined ? undefined : JSON.stringify(data)
  return json ?? fail('"data" must be a string or a JSON-serialisable value')
}

/**
 * Checks an event's fields and returns its text, ending with the blank line that dispatches it.
 * `data` is the event's data as text, when the caller has it already.
 */
export function formatEvent (event: ServerSentEvent, data?: string): string {
  if (event === null || typeof event !== 'object') fail('an event is an object: { data, event?, id?, retry? }')
  const { event: type, id, retry } = event
  let text = ''
  if (type !== undefined) {
    if (typeof type !== 'string' || UNSAFE.test(type)) fail('"event" must be a string without CR or LF')
    text += `event: ${type}\n`
  }
  if (id !== undefined) {
    if (typeof id !== 'string' || UNSAFE_ID.test(id)) fail('"id" must be a string without CR, LF or NUL')
    text += `id: ${id}\n`
  }
  if (retry !== undefined) {
    if (!Number.isSafeInteger(retry) || retry < 0) fail('"retry" must be a whole number of milliseconds, 0 or more')
    text += `retry: ${retry}\n`
  }
  return text + dataLines(data ?? dataText(event.data)) + '\n'
}

/** A stored event's text, as it was first sent. */
export function formatStored ({ id, data, event }: StoredEvent): string {
  return (event === undefined ? '' : `event: ${event}\n`) + `id: ${id}\n` + dataLines(data) + '\n'
}

function dataLines (data: string): string {
  // The common case, one line, without a split.
  if (!UNSAFE.test(data)) return `data: ${data}\n`
  let lines = ''
  for (const line of data.split(LINE_BREAK)) lines += `data: ${line}\n`
  return lines
}

/** A comment: ignored by clients, it keeps proxies from closing an idle stream. */
export function formatComment (text: string): string {
  if (typeof text !== 'string') fail('a comment must be a string')
  let lines = ''
  for (const line of text.split(LINE_BREAK)) lines += line === '' ? ':\n' : `: ${line}\n`
  return lines + '\n'
}
