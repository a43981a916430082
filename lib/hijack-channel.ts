import type { Socket } from 'node:net'
import type { Readable } from 'node:stream'
import { FST_ERR_RELIC_HEAD_WRITTEN } from './errors.js'
import { HijackSink } from './hijack-sink.js'
import { formatHead, type HeadHeaders } from './http-head.js'
import { drainOf } from './send-buffer.js'

const READY: Promise<void> = Promise.resolve()

/**
 * A hijacked connection as a two-way channel: `sink` writes, `stream` reads.
 *
 * After an `Upgrade:` request, Node's HTTP parser has let go of the socket: `stream` yields the
 * bytes that followed the request head, then everything the peer sends. On a plain request the
 * parser keeps reading the socket as HTTP, so `stream` yields only what is left of the request
 * body (nothing once Fastify has parsed the body); a two-way protocol needs an upgrade request.
 * @example
 * new Hijack(async (channel) => {
 *   channel.writeHead(101, { Upgrade: 'echo', Connection: 'Upgrade' })
 *   for await (const bytes of channel.stream) channel.sink.add(bytes)
 * })
 */
export class HijackChannel {
  readonly sink: HijackSink
  /** The raw connection. */
  readonly socket: Socket
  #source: Readable
  #head: Buffer | undefined
  #stream: AsyncIterable<Uint8Array> | undefined
  #replyHeaders: HeadHeaders | undefined

  /** @param replyHeaders what hooks and the handler set on the reply, for `writeHead`. */
  constructor (socket: Socket, source: Readable, head: Buffer | undefined, gracePeriod: number, replyHeaders: HeadHeaders) {
    this.socket = socket
    this.sink = new HijackSink(socket, gracePeriod)
    this.#source = source
    this.#head = head
    this.#replyHeaders = replyHeaders
  }

  /**
   * Writes the HTTP/1.1 status line and headers: `headers` over those that hooks and the handler
   * set on the reply (CORS, a request id), `Date`, and `Connection: close` unless the status is
   * 101 or `headers` has a `Connection`. A name or value that could split the response (CR, LF,
   * NUL) is refused with a coded TypeError, and nothing is written. Once only.
   * @example
   * channel.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
   */
  writeHead (status: number, headers: HeadHeaders = {}): void {
    const base = this.#replyHeaders
    if (base === undefined || this.socket.destroyed || this.socket.writableEnded) throw new FST_ERR_RELIC_HEAD_WRITTEN()
    const head = formatHead(status, headers, base)
    this.#replyHeaders = undefined
    this.sink.add(head)
  }

  /**
   * Resolves once the socket's buffer has drained below its high-water mark (16 KiB), or the
   * connection has ended: `await` it between writes so a slow reader cannot fill memory.
   * @example
   * for (const chunk of chunks) { channel.sink.add(chunk); await channel.drained() }
   */
  drained (): Promise<void> {
    const socket = this.socket
    return !socket.writableNeedDrain || socket.destroyed ? READY : drainOf(socket)
  }

  /** The bytes that arrive on the connection; read once. Ends when the peer ends or the connection fails. */
  get stream (): AsyncIterable<Uint8Array> {
    // Created on first use, so the socket is not read (and nothing is buffered) unless wanted.
    this.#stream ??= readBytes(this.#head, this.#source)
    return this.#stream
  }
}

async function * readBytes (head: Buffer | undefined, source: Readable): AsyncGenerator<Uint8Array, void> {
  if (head !== undefined && head.length > 0) yield head
  try {
    // Leaving the loop early must not destroy the connection: the sink may still be writing.
    for await (const chunk of source.iterator({ destroyOnReturn: false })) yield chunk as Uint8Array
  } catch {
    // The connection failed (a reset, say): that is how connections end, not a bug to rethrow.
    // The socket's error listener has logged it, and `sink.done` resolves.
  }
}
