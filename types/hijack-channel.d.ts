import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { HijackSink } from './hijack-sink.js';
import { type HeadHeaders } from './http-head.js';
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
export declare class HijackChannel {
    #private;
    readonly sink: HijackSink;
    /** The raw connection. */
    readonly socket: Socket;
    /** @param replyHeaders what hooks and the handler set on the reply, for `writeHead`. */
    constructor(socket: Socket, source: Readable, head: Buffer | undefined, gracePeriod: number, replyHeaders: HeadHeaders);
    /**
     * Writes the HTTP/1.1 status line and headers: `headers` over those that hooks and the handler
     * set on the reply (CORS, a request id), `Date`, and `Connection: close` unless the status is
     * 101 or `headers` has a `Connection`. A name or value that could split the response (CR, LF,
     * NUL) is refused with a coded TypeError, and nothing is written. Once only.
     * @example
     * channel.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
     */
    writeHead(status: number, headers?: HeadHeaders): void;
    /**
     * Resolves once the socket's buffer has drained below its high-water mark (16 KiB), or the
     * connection has ended: `await` it between writes so a slow reader cannot fill memory.
     * @example
     * for (const chunk of chunks) { channel.sink.add(chunk); await channel.drained() }
     */
    drained(): Promise<void>;
    /** The bytes that arrive on the connection; read once. Ends when the peer ends or the connection fails. */
    get stream(): AsyncIterable<Uint8Array>;
}
