import { Socket } from 'node:net'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { connectionsOf } from './connections.js'
import { FST_ERR_RELIC_HIJACK_UNSUPPORTED } from './errors.js'
import type { Hijack } from './hijack.js'
import { HijackChannel } from './hijack-channel.js'
import { runCallback } from './run-callback.js'
import { isUpgrade, upgradeHead } from './upgrade-socket.js'

/** Hands the connection of the request to a `Hijack` result's callback. */
export function acceptHijack (instance: FastifyInstance, hijack: Hijack, request: FastifyRequest, reply: FastifyReply): void {
  const socket = reply.raw.socket
  // HTTP/2 multiplexes streams over one connection, and inject() has none: no socket to hand over.
  if (request.raw.httpVersionMajor !== 1) throw new FST_ERR_RELIC_HIJACK_UNSUPPORTED(`an HTTP/${request.raw.httpVersion} request`)
  if (!(socket instanceof Socket)) throw new FST_ERR_RELIC_HIJACK_UNSUPPORTED('this request (is it an inject()?)')
  const connections = connectionsOf(instance)
  connections.refuseIfClosing(reply)
  // What hooks (CORS, a request id) and the handler set, for channel.writeHead.
  const headers = reply.getHeaders()
  reply.hijack()
  const log = request.log
  // A client that resets or vanishes is how connections end, not a server error.
  socket.on('error', (error) => { log.debug({ err: error }, 'hijacked connection error') })
  let channel: HijackChannel
  if (isUpgrade(request)) {
    // Node's HTTP parser has let go of the socket: the bytes are ours, and so is the peer's end.
    // Server sockets allow half-open connections, so end ours too (as Node does for HTTP and
    // `ws` for WebSockets), or a peer that leaves would hold the socket, and `sink.done`, forever.
    socket.once('end', () => { if (!socket.writableEnded) socket.end() })
    // Nor is the HTTP response @fastify/websocket made for it of any use: let it, and the
    // request it holds, go.
    reply.raw.detachSocket(socket)
    channel = new HijackChannel(socket, socket, upgradeHead(request.raw), connections.gracePeriod, headers)
  } else {
    // On a plain request the parser keeps the socket; only the request body is left to read.
    channel = new HijackChannel(socket, request.raw, undefined, connections.gracePeriod, headers)
  }
  connections.addChannel(channel)
  runCallback(hijack.callback, channel, (_channel, error) => {
    log.error({ err: error }, 'Hijack callback failed; destroying the connection')
    socket.destroy()
  })
}
