import type { Socket } from 'node:net'
import { WebSocket } from 'ws'

// Outbound flow control for a `ws` socket: `drained()` lets a producer wait for a slow peer.

type WithSocket = WebSocket & { _socket?: Socket | null }

const READY: Promise<void> = Promise.resolve()
const waits = new WeakMap<Socket, Promise<void>>()
const releases = new WeakMap<Socket, () => void>()

/**
 * Resolves once the bytes `ws` has not yet handed to the operating system (`bufferedAmount`:
 * the socket's buffer plus what `ws` queues while compressing) have fallen to the socket's
 * high-water mark, or once the connection is closed.
 */
export function drained (raw: WebSocket): Promise<void> {
  // The common case, nothing to wait for, allocates nothing.
  return mustWait(raw) ? waitUntilDrained(raw) : READY
}

function mustWait (raw: WithSocket): boolean {
  const socket = raw._socket
  return raw.readyState === WebSocket.OPEN && socket != null && raw.bufferedAmount > socket.writableHighWaterMark
}

async function waitUntilDrained (raw: WithSocket): Promise<void> {
  const socket = raw._socket as Socket
  do {
    // The socket's buffer is full: it says when it has drained. Otherwise the excess is still in
    // `ws`'s compression queue, which writes to the socket as it goes: look again shortly.
    await (socket.writableNeedDrain ? drainOf(socket) : new Promise<void>((resolve) => setImmediate(resolve)))
  } while (mustWait(raw))
}

/** Resolves on the socket's next `drain`, or its close: one wait per socket, however many await it. */
export function drainOf (socket: Socket): Promise<void> {
  let wait = waits.get(socket)
  if (wait === undefined) {
    wait = new Promise<void>((resolve) => {
      const done = (): void => {
        socket.off('drain', done).off('close', done)
        waits.delete(socket)
        releases.delete(socket)
        resolve()
      }
      socket.on('drain', done).on('close', done)
      releases.set(socket, done)
    })
    waits.set(socket, wait)
  }
  return wait
}

/**
 * Ends a wait on `raw`'s socket now: a local close ends the socket, and Node emits no `drain`
 * on an ending socket, so the wait would last the whole closing handshake.
 */
export function releaseDrain (raw: WebSocket): void {
  releases.get((raw as WithSocket)._socket as Socket)?.()
}
