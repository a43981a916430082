import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { HijackSink } from './hijack-sink.js';
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
export declare class HijackChannel {
    #private;
    readonly sink: HijackSink;
    /** The raw connection. */
    readonly socket: Socket;
    constructor(socket: Socket, source: Readable, head: Buffer | undefined, gracePeriod: number);
    /** The bytes that arrive on the connection; read once. Ends when the peer ends or the connection fails. */
    get stream(): AsyncIterable<Uint8Array>;
}
