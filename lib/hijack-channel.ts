import type { Socket } from 'node:net'
import type { Readable } from 'node:stream'
import { HijackSink } from './hijack-sink.js'

/**
 * A hijacked connection as a two-way channel: `sink` writes, `stream` reads.
 *
 * After an `Upgrade:` request, Node's HTTP parser has let go of the socket: `stream` yields the
 * bytes that followed the request head, then everything the peer sends. On a plain request the
 * parser keeps reading the socket as HTTP, so `stream` yields only what is left of the request
 * body (nothing once Fastify has parsed the body); a two-way protocol needs an upgrade request.
 * @example
 * new Hijack(async (channel) => {
 *   channel.sink.add('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n')
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

  constructor (socket: Socket, source: Readable, head: Buffer | undefined, gracePeriod: number) {
    this.socket = socket
    this.sink = new HijackSink(socket, gracePeriod)
    this.#source = source
    this.#head = head
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
