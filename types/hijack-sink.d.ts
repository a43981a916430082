import type { Socket } from 'node:net';
/**
 * The writing end of a hijacked connection. What is added in one turn of the event loop goes
 * out in one write.
 * @example
 * channel.sink.add('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n')
 * const timer = setInterval(() => channel.sink.add('data: tick\n\n'), 1000)
 * await channel.sink.done
 * clearInterval(timer)
 */
export declare class HijackSink {
    #private;
    /** Resolves when the connection has ended, for any reason; never rejects. */
    readonly done: Promise<void>;
    /** @param gracePeriod how long `close()` waits for the peer to take the last bytes. */
    constructor(socket: Socket, gracePeriod: number);
    /**
     * Writes bytes (a string is written as UTF-8). Returns false, and writes nothing, once the
     * connection has ended or is ending; never throws for the connection's state.
     */
    add(data: Uint8Array | string): boolean;
    /**
     * Flushes what was added, ends the connection and resolves with `done`. A peer that does not
     * take the last bytes within the grace period is cut off.
     */
    close(): Promise<void>;
}
