import type { Socket } from 'node:net'
import { FST_ERR_RELIC_INVALID_PAYLOAD } from './errors.js'
import { batchWrites, flushIfFull } from './write-batch.js'

/**
 * The writing end of a hijacked connection. What is added in one turn of the event loop goes
 * out in one write.
 * @example
 * channel.sink.add('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n')
 * const timer = setInterval(() => channel.sink.add('data: tick\n\n'), 1000)
 * await channel.sink.done
 * clearInterval(timer)
 */
export class HijackSink {
  /** Resolves when the connection has ended, for any reason; never rejects. */
  readonly done: Promise<void>
  #socket: Socket
  #gracePeriod: number

  /** @param gracePeriod how long `close()` waits for the peer to take the last bytes. */
  constructor (socket: Socket, gracePeriod: number) {
    this.#socket = socket
    this.#gracePeriod = gracePeriod
    this.done = socket.closed ? Promise.resolve() : new Promise((resolve) => { socket.once('close', () => resolve()) })
  }

  /**
   * Writes bytes (a string is written as UTF-8). Returns false, and writes nothing, once the
   * connection has ended or is ending; never throws for the connection's state.
   */
  add (data: Uint8Array | string): boolean {
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      throw new FST_ERR_RELIC_INVALID_PAYLOAD('sink.add', 'a Uint8Array or a string')
    }
    const socket = this.#socket
    if (socket.destroyed || socket.writableEnded) return false
    // Adds of one turn of the event loop go out in one write, as a WebSocket's sends do: a system
    // call per add costs three times the CPU (bench sse: uncorked 0.33x node:http's events/s).
    batchWrites(socket)
    socket.write(data)
    flushIfFull(socket)
    return true
  }

  /**
   * Flushes what was added, ends the connection and resolves with `done`. A peer that does not
   * take the last bytes within the grace period is cut off.
   */
  close (): Promise<void> {
    const socket = this.#socket
    if (!socket.destroyed && !socket.writableEnded) {
      // End, then destroy once flushed: a peer that never closes its side cannot hold the socket,
      // and one that never reads cannot hold it past the grace period.
      const timer = setTimeout(() => socket.destroy(), this.#gracePeriod).unref()
      socket.once('close', () => clearTimeout(timer))
      socket.once('finish', () => socket.destroy())
      socket.end()
    }
    return this.done
  }
}
