import t from 'tap'
import { connect as netConnect, type Socket } from 'node:net'
import Fastify from 'fastify'
import relic, { Hijack, WebSocketUpgrade, type WebSocketEvent } from '../lib/index.js'
import type WebSocket from 'ws'
import { closed, connect, listen, until } from './helper.js'

async function app (t: Tap, gracePeriod?: number): Promise<ReturnType<typeof Fastify>> {
  const instance = Fastify()
  t.teardown(() => instance.close())
  await instance.register(relic, gracePeriod === undefined ? {} : { gracePeriod })
  return instance
}
type Tap = { teardown: (fn: () => unknown) => void }

/** A raw client that completes a WebSocket handshake and then never reads or answers again. */
function silentPeer (port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
    })
    socket.once('data', () => {
      socket.pause()
      resolve(socket)
    })
    socket.on('error', () => {})
  })
}

t.test('app.close() closes relic WebSockets with 1001; their events end without a CloseReceived', async (t) => {
  const server = await app(t)
  const seen: WebSocketEvent[][] = []
  server.relic.get('/ws', () => new WebSocketUpgrade(async (ws) => {
    const events: WebSocketEvent[] = []
    seen.push(events)
    for await (const event of ws.events) events.push(event)
  }))
  const { ws: base } = await listen(server)
  const clients = await Promise.all([1, 2, 3].map(() => connect(t, `${base}/ws`)))
  const codes = Promise.all(clients.map(closed))
  await server.close()
  t.same(await codes, clients.map(() => ({ code: 1001, reason: 'server shutting down' })))
  t.same(seen, [[], [], []])
})

t.test('a peer that never answers the close is cut after the grace period', async (t) => {
  const server = await app(t, 200)
  server.relic.get('/ws', () => new WebSocketUpgrade(() => {}))
  const { port } = await listen(server)
  const peer = await silentPeer(port)
  const start = Date.now()
  await server.close()
  const took = Date.now() - start
  t.ok(took >= 150 && took < 2000, `close() took ${took} ms`)
  const ended = new Promise((resolve) => peer.once('close', resolve))
  peer.resume()
  await ended
  t.pass('the server cut the connection')
})

t.test('upgrades and hijacks still being decided when close starts are refused with 503', async (t) => {
  const server = await app(t)
  let started = 0
  server.relic.get('/ws', async () => {
    started++
    await new Promise((resolve) => setTimeout(resolve, 100))
    return new WebSocketUpgrade(() => { t.fail('must not run') })
  })
  server.relic.get('/hijack', async () => {
    started++
    await new Promise((resolve) => setTimeout(resolve, 100))
    return new Hijack(() => { t.fail('must not run') })
  })
  const { http, port } = await listen(server)
  const answers: string[] = []
  const upgrade = new Promise<void>((resolve) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
    })
    socket.on('data', (chunk) => answers.push(chunk.toString()))
    socket.on('close', () => resolve())
  })
  const hijack = fetch(`${http}/hijack`).then(async (response) => ({ status: response.status, body: await response.json() }))
  await until(() => started === 2)
  await server.close()
  await upgrade
  t.match(answers.join(''), /^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*FST_ERR_RELIC_CLOSING/)
  t.match(await hijack, { status: 503, body: { code: 'FST_ERR_RELIC_CLOSING' } })
})

t.test('app.close() ends hijacked connections, and cuts one whose peer does not read', async (t) => {
  const server = await app(t, 200)
  let doneCount = 0
  server.relic.get('/flood', () => new Hijack(async (channel) => {
    channel.sink.add('HTTP/1.1 200 OK\r\n\r\n')
    for (let i = 0; i < 64; i++) channel.sink.add(Buffer.alloc(1 << 20))
    await channel.sink.done
    doneCount++
  }))
  const { port } = await listen(server)
  const peer = netConnect(port, '127.0.0.1', () => peer.write('GET /flood HTTP/1.1\r\nHost: x\r\n\r\n'))
  peer.on('error', () => {})
  peer.once('data', () => peer.pause())
  await until(() => peer.isPaused())
  const start = Date.now()
  await server.close()
  t.ok(Date.now() - start < 2000, 'close() resolved within the grace period')
  await until(() => doneCount === 1)
  peer.destroy()
})

t.test('sink.close() cuts a peer that does not take the last bytes within the grace period', async (t) => {
  const server = await app(t, 100)
  let closedAfter = -1
  server.relic.get('/flood', () => new Hijack(async (channel) => {
    channel.sink.add('HTTP/1.1 200 OK\r\n\r\n')
    for (let i = 0; i < 32; i++) channel.sink.add(Buffer.alloc(1 << 20))
    const start = Date.now()
    await channel.sink.close()
    closedAfter = Date.now() - start
  }))
  const { port } = await listen(server)
  const peer = netConnect(port, '127.0.0.1', () => peer.write('GET /flood HTTP/1.1\r\nHost: x\r\n\r\n'))
  peer.on('error', () => {})
  peer.once('data', () => peer.pause())
  await until(() => closedAfter >= 0, 3000)
  t.ok(closedAfter >= 50 && closedAfter < 1500, `sink.close() resolved after ${closedAfter} ms`)
  peer.destroy()
})

t.test('gracePeriod is validated at registration', async (t) => {
  for (const gracePeriod of [-1, Number.NaN, Infinity, '5' as unknown as number]) {
    const server = Fastify()
    t.teardown(() => server.close())
    await t.rejects(async () => { await server.register(relic, { gracePeriod }) }, { code: 'FST_ERR_RELIC_INVALID_OPTIONS' })
  }
})

t.test('1,000 open WebSockets: each gets 1001 and close() resolves within the grace period', async (t) => {
  const server = await app(t)
  server.relic.get('/ws', () => new WebSocketUpgrade(async (ws) => {
    for await (const event of ws.events) if (event.type === 'text') ws.sendText(event.text)
  }))
  const { ws: base } = await listen(server)
  const clients: WebSocket[] = []
  // In batches, as a server sees them arrive, not as one burst on its accept queue.
  for (let batch = 0; batch < 10; batch++) {
    clients.push(...await Promise.all(Array.from({ length: 100 }, () => connect(t, `${base}/ws`))))
  }
  await until(() => server.relic.connections === 1000)
  const codes = Promise.all(clients.map(closed))
  const start = Date.now()
  await server.close()
  const took = Date.now() - start
  t.ok(took < 5000, `close() took ${took} ms`)
  const seen = await codes
  t.equal(seen.filter(({ code }) => code === 1001).length, 1000, 'every client got 1001')
  t.equal(server.relic.connections, 0)
})

t.test('app.relic.connections counts open WebSockets and hijacked connections', async (t) => {
  const server = await app(t)
  server.relic.get('/ws', () => new WebSocketUpgrade(() => {}))
  server.relic.get('/raw', () => new Hijack(() => {}))
  let child: typeof server | undefined
  await server.register(async (instance: typeof server) => { child = instance })
  const { ws: base, port } = await listen(server)
  t.equal(server.relic.connections, 0)
  const client = await connect(t, `${base}/ws`)
  await until(() => server.relic.connections === 1)
  const raw = netConnect(port, '127.0.0.1', () => { raw.write('GET /raw HTTP/1.1\r\nHost: x\r\n\r\n') })
  raw.on('error', () => {})
  t.teardown(() => raw.destroy())
  await until(() => server.relic.connections === 2)
  t.equal(child?.relic.connections, 2, 'the same count from an encapsulated context')
  client.close()
  await until(() => server.relic.connections === 1)
  raw.destroy()
  await until(() => server.relic.connections === 0)
})
