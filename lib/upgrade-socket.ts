import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { kUpgradeHead } from './symbols.js'

// What fastify-relic needs from the server's `upgrade` event that @fastify/websocket does not
// hand on: the bytes that came with the request head, and `drain` for the HTTP answer.

type WithHead = IncomingMessage & { [kUpgradeHead]?: Buffer }
type WithMessage = Socket & { _httpMessage?: NodeJS.EventEmitter | null }

const NO_HEAD: Buffer = Buffer.alloc(0)

/**
 * The server's `upgrade` listener, prepended so that it runs before @fastify/websocket routes
 * the request.
 */
export function onUpgrade (request: IncomingMessage, socket: Socket, head: Buffer): void {
  (request as WithHead)[kUpgradeHead] = head
  // Node stops forwarding the socket's `drain` to the response once it emits `upgrade`, so an
  // HTTP answer to an upgrade request (a refusal with a streamed body, say) would stall after
  // the first 64 KiB. Forward it, as Node's own server does for plain requests.
  socket.on('drain', forwardDrain)
}

function forwardDrain (this: WithMessage): void {
  this._httpMessage?.emit('drain')
}

/** The bytes that followed the head of an upgrade request. */
export function upgradeHead (request: IncomingMessage): Buffer {
  const kept = (request as WithHead)[kUpgradeHead]
  if (kept !== undefined) return kept
  // @fastify/websocket listens on its own `server` when the user gave it one, where our listener
  // is not: its copy, under its private symbol, is then the only one.
  const theirs = Object.getOwnPropertySymbols(request).find((symbol) => symbol.description === 'ws-head')
  return theirs === undefined ? NO_HEAD : (request as unknown as Record<symbol, Buffer>)[theirs] as Buffer
}
