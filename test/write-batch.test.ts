import t, { type Test } from 'tap'
import { connect as netConnect, type Socket } from 'node:net'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type WebSocket from 'ws'
import { Hijack, WebSocketUpgrade, type RelicWebSocket } from '../lib/index.js'
import { build, closed, connect, listen, messages } from './helper.js'

type Spied = Socket & { _writev: Socket['_writev'], _write: Socket['_write'] }

/** Counts the writes Node hands to the operating system for `socket`. */
function countWrites (socket: Spied): () => number {
  let count = 0
  const writev = socket._writev?.bind(socket)
  const write = socket._write.bind(socket)
  socket._writev = (chunks, callback) => { count++; (writev as NonNullable<typeof writev>)(chunks, callback) }
  socket._write = (chunk, encoding, callback) => { count++; write(chunk, encoding, callback) }
  return () => count
}

/** A relic route and a client; `server` is the route's socket, `writes` counts its system writes. */
async function session (t: Test): Promise<{ client: WebSocket, server: RelicWebSocket, socket: Spied, writes: () => number }> {
  const app = await build(t)
  let resolveServer: (ws: RelicWebSocket) => void = () => {}
  const serverSocket = new Promise<RelicWebSocket>((resolve) => { resolveServer = resolve })
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => { resolveServer(ws) }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  const server = await serverSocket
  const socket = (server.raw as unknown as { _socket: Spied })._socket
  return { client, server, socket, writes: countWrites(socket) }
}

t.test('messages sent in one turn of the event loop leave in one write, in order', async (t) => {
  const { client, server, writes } = await session(t)
  const received = messages(client, 100)
  for (let i = 0; i < 50; i++) server.sendText(`text ${i}`)
  for (let i = 50; i < 100; i++) server.sendBytes(Buffer.from(`bytes ${i}`))
  t.equal(writes(), 0, 'nothing written yet')
  await nextTurn()
  t.equal(writes(), 1, 'one write for 100 messages')
  t.same(await received, Array.from({ length: 100 }, (_, i) => i < 50 ? `text ${i}` : `bytes ${i}`))
})

t.test('a batch that reaches the high-water mark leaves at once: bufferedAmount counts only what the peer has not taken', async (t) => {
  const { client, server, socket, writes } = await session(t)
  const received = messages(client, 2)
  server.sendText('small')
  t.equal(socket.writableCorked, 1, 'a small message waits for the end of the turn')
  server.sendText('x'.repeat(socket.writableHighWaterMark))
  t.equal(socket.writableCorked, 0, 'flushed on reaching the mark')
  t.equal(writes(), 1, 'both messages in that write')
  t.equal(server.bufferedAmount, 0, 'the kernel took them')
  t.same((await received).map((text) => text.length), [5, socket.writableHighWaterMark])
})

t.test('a close in the same turn goes out after the messages', async (t) => {
  const { client, server } = await session(t)
  const received = messages(client, 3)
  const closing = closed(client)
  server.sendText('one')
  server.trySendText('two')
  server.trySendBytes(Buffer.from('three'))
  server.close(4000, 'bye')
  t.same(await received, ['one', 'two', 'three'])
  t.same(await closing, { code: 4000, reason: 'bye' })
})

t.test('a socket the application corked itself is left to it: its uncork sends at once', async (t) => {
  const { client, server, socket, writes } = await session(t)
  const received = messages(client, 2)
  socket.cork()
  server.sendText('held')
  await nextTurn()
  t.equal(writes(), 0, 'still held after the turn')
  server.sendText('and this')
  socket.uncork()
  t.equal(writes(), 1, 'written by the application\'s uncork, in the same turn')
  t.same(await received, ['held', 'and this'])
})

t.test('a hijacked sink batches the same way: the adds of one turn leave in one write', async (t) => {
  const app = await build(t)
  let writes = (): number => 0
  let inTurn = -1
  app.relic.get('/raw', () => new Hijack(async (channel) => {
    writes = countWrites(channel.socket as Spied)
    channel.sink.add('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n')
    for (let i = 0; i < 50; i++) channel.sink.add(`line ${i}\n`)
    inTurn = writes()
    await nextTurn()
    t.equal(writes(), 1, 'one write for 51 adds')
    await channel.sink.close()
  }))
  const { port } = await listen(app)
  const client = netConnect(port, '127.0.0.1')
  client.end('GET /raw HTTP/1.1\r\nHost: x\r\n\r\n')
  let text = ''
  client.setEncoding('utf8').on('data', (chunk: string) => { text += chunk })
  await new Promise((resolve) => client.on('close', resolve))
  t.equal(inTurn, 0, 'nothing written during the turn')
  t.match(text, /^HTTP\/1\.1 200 OK\r\n[^]*line 0\n[^]*line 49\n$/)
})
