import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { kUpgradeHead } from './symbols.js'

// What fastify-relic needs from the server's `upgrade` event that @fastify/websocket does not
// hand on: which requests came through it, the bytes that came with their head, `drain` for an
// HTTP answer, and the end of the socket once such an answer is sent.

type WithHead = IncomingMessage & { [kUpgradeHead]?: Buffer }
type WithMessage = Socket & { _httpMessage?: (NodeJS.EventEmitter & { writableFinished: boolean }) | null }

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

/**
 * The server's second `upgrade` listener, appended: it runs once @fastify/websocket has routed the
 * request, and ends the socket after an HTTP answer (a refusal, a plain route), which would
 * otherwise leave it open, as no HTTP parser reads it any more. A WebSocket or a hijack has
 * detached the answer by then, and keeps its socket.
 */
export function afterUpgrade (_request: IncomingMessage, socket: WithMessage): void {
  const answer = socket._httpMessage
  if (answer == null) return
  if (answer.writableFinished) socket.destroy()
  else answer.once('finish', () => { if (socket._httpMessage === answer) socket.destroy() })
}

/** True for a request that came through the server's `upgrade` event (any protocol). */
export function isUpgrade (request: { raw: IncomingMessage, ws?: boolean | null }): boolean {
  // Our own mark; `ws` is @fastify/websocket's, when the user registered it on a server of its own.
  return (request.raw as WithHead)[kUpgradeHead] !== undefined || request.ws === true
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
