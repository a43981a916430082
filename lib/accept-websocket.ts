import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { connectionsOf } from './connections.js'
import { FST_ERR_RELIC_UPGRADE_REQUIRED } from './errors.js'
import { RelicWebSocket, failWith } from './relic-websocket.js'
import { checkOrigin, chooseProtocol } from './handshake.js'
import { runCallback } from './run-callback.js'
import { isUpgrade, upgradeHead } from './upgrade-socket.js'
import { resolveWebSocketOptions } from './websocket-options.js'
import { NO_OPTIONS, type WebSocketUpgrade } from './websocket-upgrade.js'
import { webSocketServersOf } from './websocket-servers.js'

/** True for a request @fastify/websocket routed from the server's `upgrade` event asking for a WebSocket. */
export function isWebSocketHandshake (request: FastifyRequest): boolean {
  // Node hands any `Upgrade:` request (h2c, a custom protocol) to the `upgrade` event; only a GET
  // with `Upgrade: websocket` can become a WebSocket.
  return isUpgrade(request) && request.raw.method === 'GET' && request.headers.upgrade?.toLowerCase() === 'websocket'
}

/** Completes the handshake of a `WebSocketUpgrade` result, then runs its callback. */
export function acceptWebSocket (instance: FastifyInstance, upgrade: WebSocketUpgrade, request: FastifyRequest, reply: FastifyReply): void {
  if (!isWebSocketHandshake(request)) {
    reply.header('upgrade', 'websocket')
    throw new FST_ERR_RELIC_UPGRADE_REQUIRED()
  }
  const connections = connectionsOf(instance)
  connections.refuseIfClosing(reply)
  const servers = webSocketServersOf(instance)
  const options = upgrade.options === NO_OPTIONS
    ? servers.defaults
    : resolveWebSocketOptions(upgrade.options, servers.defaults, `${request.method} ${request.url}`)
  checkOrigin(request, options.origins)
  const protocol = chooseProtocol(request, options)
  // @fastify/websocket bound the upgrade socket to this reply; `head` holds the bytes that came
  // with the request head, which our own `upgrade` listener kept.
  const socket = reply.raw.socket as Duplex
  const head = upgradeHead(request.raw)
  reply.hijack()
  // The HTTP response @fastify/websocket made for this socket will never be used: let go of it,
  // and of the request it holds, for the life of the connection (about 1 KB each; bench ws-idle).
  reply.raw.detachSocket(socket as Socket)
  // `ws` validates the handshake itself (key, version) and answers 400 when it is wrong.
  servers.handleUpgrade(request.raw, socket, head, options, protocol, (raw) => {
    instance.websocketServer.emit('connection', raw, request.raw)
    runCallback(upgrade.callback, new RelicWebSocket(raw, request.log, connections, options), failWith)
  })
}
