import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import WebSocket from 'ws'
import { WebSocketUpgrade, type RelicWebSocket, type WebSocketOptions } from '../lib/index.js'
import { build, connect, listen, memoryPeak, until } from './helper.js'

// 100 MB through a real socket, next to the other test files on two cores, under coverage:
// more than tap's default 30 s may be needed.
t.setTimeout(120_000)

const MB = 1024 * 1024

/** A relic route with `options` running `callback`, a connected client, and the server's socket. */
async function session (t: Test, options: WebSocketOptions, callback: (ws: RelicWebSocket) => unknown = () => {}): Promise<{ client: WebSocket, server: RelicWebSocket }> {
  const url = await route(t, options, callback)
  const client = await connect(t, url)
  return { client, server: await serverSocket }
}

let serverSocket: Promise<RelicWebSocket>

/** Serves a relic route with `options` running `callback`; returns its URL. */
async function route (t: Test, options: WebSocketOptions, callback: (ws: RelicWebSocket) => unknown): Promise<string> {
  const app = await build(t)
  let resolveServer: (ws: RelicWebSocket) => void = () => {}
  serverSocket = new Promise<RelicWebSocket>((resolve) => { resolveServer = resolve })
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => {
    resolveServer(ws)
    void callback(ws)
  }, options))
  const { ws: base } = await listen(app)
  return `${base}/ws`
}

// A `ws` client in a process of its own, so that this process's memory is the server's alone.
// `script` runs with `ws` (a connected client) and `done()`; the process ends with the test.
function peer (t: Test, url: string, script: string): void {
  const child = spawn(process.execPath, ['-e', `
    const WebSocket = require('ws')
    const ws = new WebSocket(${JSON.stringify(url)})
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
    ws.on('error', () => {})
    ws.on('close', () => process.exit(0))
    ws.on('open', async () => { ${script} })
  `], { stdio: 'inherit' })
  t.teardown(() => { child.kill() })
}

t.test('inbound: a 100 MB flood into a slow handler keeps server memory bounded; all arrives, in order', async (t) => {
  const total = 1600 // of 64 KiB: 100 MiB
  let received = 0
  let inOrder = true
  const memory = memoryPeak()
  const url = await route(t, {}, async (ws) => {
    for await (const event of ws.events) {
      if (event.type !== 'binary') continue
      if (new DataView(event.data.buffer, event.data.byteOffset).getUint32(0) !== received) inOrder = false
      // A slow consumer: a timer's turn every 4 messages.
      if (++received % 4 === 0) await sleep(1)
      if (received === total) break
    }
  })
  // The peer sends as fast as TCP lets it (its own buffer kept small).
  peer(t, url, `
    for (let i = 0; i < ${total}; i++) {
      const message = Buffer.alloc(64 * 1024)
      message.writeUInt32BE(i, 0)
      ws.send(message)
      while (ws.bufferedAmount > 1024 * 1024) await sleep(1)
    }`)
  const server = await serverSocket
  let paused = false
  server.raw.on('message', () => { paused ||= server.raw.isPaused })
  await until(() => received === total, 60_000)
  const growth = memory.stop()
  t.ok(paused, 'the server stopped reading while the handler lagged')
  t.ok(growth < 48 * MB, `memory grew by ${(growth / MB).toFixed(1)} MB for 100 MB sent`)
  t.ok(inOrder, 'in order')
})

t.test('inbound: the byte bound pauses before the message bound', async (t) => {
  const { client, server } = await session(t, { maxBufferedBytes: 100_000 })
  for (let i = 0; i < 10; i++) client.send(Buffer.alloc(60_000, i))
  await until(() => server.raw.isPaused)
  t.pass('paused with at most 10 of the 64 messages buffered')
  let next = 0
  for await (const event of server.events) {
    t.equal(event.type === 'binary' && event.data[0], next)
    if (++next === 10) break
  }
  t.equal(server.raw.isPaused, false, 'reading again')
})

t.test('inbound: maxBufferedEvents sets the message bound; text counts by its length', async (t) => {
  const { client, server } = await session(t, { maxBufferedEvents: 4, maxBufferedBytes: 1000 })
  for (let i = 0; i < 8; i++) client.send(`${i}`)
  await until(() => server.raw.isPaused)
  const texts: string[] = []
  for await (const event of server.events) {
    if (event.type === 'text') texts.push(event.text)
    if (texts.length === 8) break
  }
  t.same(texts, ['0', '1', '2', '3', '4', '5', '6', '7'])
  const { client: other, server: bytes } = await session(t, { maxBufferedBytes: 1000 })
  other.send('é'.repeat(1000))
  await until(() => bytes.raw.isPaused)
  t.pass('a long text alone reaches the byte bound')
})

t.test('outbound: a producer awaiting drained() sends 100 MB to a slow reader in bounded memory', async (t) => {
  const chunk = Buffer.alloc(64 * 1024, 1)
  const total = 1600
  let maxBuffered = 0
  let sent = 0
  const memory = memoryPeak()
  const url = await route(t, {}, async (ws) => {
    for (; sent < total; sent++) {
      ws.sendBytes(chunk)
      maxBuffered = Math.max(maxBuffered, ws.bufferedAmount)
      await ws.drained()
    }
    ws.close(1000)
  })
  // A reader that takes nothing for a while, then reads slowly: 1 ms every 16 messages.
  peer(t, url, `
    ws.pause()
    await sleep(300)
    let count = 0
    ws.on('message', () => { if (++count % 16 === 0) { ws.pause(); setTimeout(() => ws.resume(), 1) } })
    ws.resume()`)
  await serverSocket
  await sleep(150)
  // Without drained() all 1,600 would be sent by now; the kernel's buffers take some dozens.
  t.ok(sent < 200, `the producer waited (${sent} chunks sent while the reader slept)`)
  await until(() => sent === total, 60_000)
  const growth = memory.stop()
  t.ok(maxBuffered < MB, `at most ${(maxBuffered / 1024).toFixed(0)} KiB waited in the send buffer`)
  t.ok(growth < 48 * MB, `memory grew by ${(growth / MB).toFixed(1)} MB for 100 MB sent`)
})

t.test('outbound: drained() resolves at once when little is buffered, and when the connection closes', async (t) => {
  const { client, server } = await session(t, {})
  t.equal(server.bufferedAmount, 0)
  t.equal(await server.drained(), undefined)
  client.pause()
  for (let i = 0; i < 64; i++) server.sendBytes(Buffer.alloc(64 * 1024))
  t.ok(server.bufferedAmount > 64 * 1024, 'bytes wait')
  const [first, second] = [server.drained(), server.drained()]
  client.terminate()
  await Promise.all([first, second])
  t.ok(server.isClosed || server.bufferedAmount <= 16 * 1024)
  t.equal(await server.drained(), undefined, 'closed: nothing to wait for')
})

t.test('outbound: drained() also waits for what compression still holds', async (t) => {
  let sent = 0
  const { client } = await session(t, { compression: { threshold: 0 } }, async (ws) => {
    for (; sent < 200; sent++) {
      ws.sendBytes(randomBytes(64 * 1024))
      await ws.drained()
    }
  })
  let received = 0
  client.on('message', () => { received++ })
  await until(() => received === 200, 30_000)
  t.equal(sent, 200)
})

t.test('outbound: a local close releases a producer waiting in drained() at once', async (t) => {
  const { client, server } = await session(t, {})
  client.pause()
  while (server.bufferedAmount < 4 * 1024 * 1024) server.sendBytes(Buffer.alloc(64 * 1024))
  let released = false
  const waiting = server.drained().then(() => { released = true })
  await sleep(50)
  t.notOk(released, 'waiting while the peer reads nothing')
  server.close(1000)
  await Promise.race([waiting, sleep(1000)])
  t.ok(released, 'released by the close, not after the closing handshake')
  t.equal(await server.drained(), undefined, 'closed: nothing to wait for')
})
