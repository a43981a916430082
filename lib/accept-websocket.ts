import type { Duplex } from 'node:stream'
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'
import { FST_ERR_RELIC_UPGRADE_REQUIRED } from './errors.js'
import { RelicWebSocket, closeWith } from './relic-websocket.js'
import { runCallback } from './run-callback.js'
import { kUpgradeHead } from './symbols.js'
import type { WebSocketCallback, WebSocketUpgrade } from './websocket-upgrade.js'

const NO_HEAD: Buffer = Buffer.alloc(0)

/** True for a request @fastify/websocket routed from the server's `upgrade` event asking for a WebSocket. */
export function isWebSocketHandshake (request: FastifyRequest): boolean {
  // `request.ws` is true for any `Upgrade:` request (h2c, a custom protocol); only a GET with
  // `Upgrade: websocket` can become a WebSocket.
  return request.ws && request.raw.method === 'GET' && request.headers.upgrade?.toLowerCase() === 'websocket'
}

/** Completes the handshake of a `WebSocketUpgrade` result, then runs its callback. */
export function acceptWebSocket (instance: FastifyInstance, upgrade: WebSocketUpgrade, request: FastifyRequest, reply: FastifyReply): void {
  if (!isWebSocketHandshake(request)) {
    reply.header('upgrade', 'websocket')
    throw new FST_ERR_RELIC_UPGRADE_REQUIRED()
  }
  // @fastify/websocket bound the upgrade socket to this reply; `head` holds the bytes that came
  // with the request head, which our own `upgrade` listener kept.
  const socket = reply.raw.socket as Duplex
  const head = (request.raw as { [kUpgradeHead]?: Buffer })[kUpgradeHead] ?? NO_HEAD
  reply.hijack()
  const wss = instance.websocketServer
  // `ws` validates the handshake itself (key, version) and answers 400 when it is wrong.
  wss.handleUpgrade(request.raw, socket, head, (raw) => {
    wss.emit('connection', raw, request.raw)
    run(raw, upgrade.callback, request.log)
  })
}

function run (raw: WebSocket, callback: WebSocketCallback, log: FastifyBaseLogger): void {
  const ws = new RelicWebSocket(raw, log, fail)
  function fail (error: unknown): void {
    log.error({ err: error }, 'WebSocket callback failed; closing the connection with 1011')
    closeWith(ws, 1011, 'Internal Error')
  }
  runCallback(callback, ws, fail)
}
