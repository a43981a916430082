import { Socket } from 'node:net'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { FST_ERR_RELIC_HIJACK_UNSUPPORTED } from './errors.js'
import type { Hijack } from './hijack.js'
import { HijackChannel } from './hijack-channel.js'
import { runCallback } from './run-callback.js'
import { kHijacked, kUpgradeHead } from './symbols.js'

/** Hands the connection of the request to a `Hijack` result's callback. */
export function acceptHijack (instance: FastifyInstance, hijack: Hijack, request: FastifyRequest, reply: FastifyReply): void {
  const socket = reply.raw.socket
  // HTTP/2 multiplexes streams over one connection, and inject() has none: no socket to hand over.
  if (request.raw.httpVersionMajor !== 1) throw new FST_ERR_RELIC_HIJACK_UNSUPPORTED(`an HTTP/${request.raw.httpVersion} request`)
  if (!(socket instanceof Socket)) throw new FST_ERR_RELIC_HIJACK_UNSUPPORTED('this request (is it an inject()?)')
  reply.hijack()
  const log = request.log
  // A client that resets or vanishes is how connections end, not a server error.
  socket.on('error', (error) => { log.debug({ err: error }, 'hijacked connection error') })
  // After an upgrade request Node's HTTP parser has let go of the socket, so the bytes are ours;
  // on a plain request the parser keeps the socket and only the request body is left to read.
  const channel = request.ws
    ? new HijackChannel(socket, socket, (request.raw as { [kUpgradeHead]?: Buffer })[kUpgradeHead])
    : new HijackChannel(socket, request.raw)
  // Fastify counts a hijacked response as in flight: without this, close() would wait for it.
  const open = (instance as unknown as { [kHijacked]: Set<HijackChannel> })[kHijacked]
  open.add(channel)
  socket.once('close', () => open.delete(channel))
  runCallback(hijack.callback, channel, (error) => {
    log.error({ err: error }, 'Hijack callback failed; destroying the connection')
    socket.destroy()
  })
}
