import t from 'tap'
import { spawn } from 'node:child_process'
import { connect as netConnect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Hijack, type HijackChannel } from '../lib/index.js'
import { build, listen, memoryPeak, until } from './helper.js'

// 100 MB through a real socket, next to the other test files on two cores, under coverage:
// more than tap's default 30 s may be needed.
t.setTimeout(120_000)

// Everything a raw client receives until the server ends the connection.
function rawRequest (port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    let received = ''
    const socket = netConnect(port, '127.0.0.1', () => socket.write(request))
    socket.on('data', (chunk) => { received += chunk.toString() })
    socket.on('close', () => resolve(received))
    socket.on('error', () => {})
  })
}

t.test('writeHead writes the status line and headers, merged with what hooks set on the reply', async (t) => {
  const app = await build(t)
  // As @fastify/cors and a request-id hook would.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('access-control-allow-origin', '*')
    reply.header('x-request-id', request.id)
    reply.header('x-overridden', 'hook')
  })
  app.relic.get('/sse', (_request, reply) => {
    reply.header('x-from-handler', 'yes')
    return new Hijack((channel) => {
      channel.writeHead(200, { 'Content-Type': 'text/event-stream', 'X-Overridden': 'route', 'x-list': ['a', 'b'], 'x-n': 3 })
      channel.sink.add('data: one\n\n')
      void channel.sink.close()
    })
  })
  const { http, port } = await listen(app)
  const response = await fetch(`${http}/sse`)
  t.equal(response.status, 200)
  t.equal(response.headers.get('access-control-allow-origin'), '*')
  t.match(response.headers.get('x-request-id'), /^req-/)
  t.equal(response.headers.get('x-from-handler'), 'yes')
  t.equal(response.headers.get('x-overridden'), 'route', 'the callback\'s header wins, whatever its case')
  t.equal(response.headers.get('x-list'), 'a, b')
  t.equal(response.headers.get('x-n'), '3')
  t.equal(response.headers.get('connection'), 'close')
  t.ok(response.headers.get('date'))
  t.equal(await response.text(), 'data: one\n\n')
  const raw = await rawRequest(port, 'GET /sse HTTP/1.1\r\nHost: x\r\n\r\n')
  t.match(raw, /^HTTP\/1\.1 200 OK\r\n/)
  t.equal(raw.match(/x-overridden/gi)?.length, 1, 'one copy of a replaced header')
})

t.test('writeHead: 101 keeps the connection, undefined removes a hook\'s header, Connection may be given', async (t) => {
  const app = await build(t)
  app.addHook('onRequest', async (_request, reply) => { reply.header('x-hook', 'yes') })
  app.relic.get('/up', () => new Hijack(async (channel) => {
    channel.writeHead(101, { Upgrade: 'echo', Connection: 'Upgrade', 'x-hook': undefined })
    for await (const bytes of channel.stream) channel.sink.add(bytes)
  }))
  const { port } = await listen(app)
  const socket = netConnect(port, '127.0.0.1', () => socket.write('GET /up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n'))
  t.teardown(() => socket.destroy())
  let received = ''
  socket.on('data', (chunk) => { received += chunk.toString() })
  await until(() => received.includes('\r\n\r\n'))
  t.match(received, /^HTTP\/1\.1 101 Switching Protocols\r\n/)
  t.match(received, /\r\nConnection: Upgrade\r\n/)
  t.notMatch(received, /x-hook|close/i)
  socket.write('ping')
  await until(() => received.endsWith('ping'))
})

t.test('writeHead refuses what could split the response, with a coded error, and writes nothing', async (t) => {
  const app = await build(t)
  const errors: unknown[] = []
  const attempt = (channel: HijackChannel, ...args: Parameters<HijackChannel['writeHead']>): void => {
    try {
      channel.writeHead(...args)
    } catch (error) {
      errors.push(error)
    }
  }
  app.relic.get('/bad', () => new Hijack((channel) => {
    attempt(channel, 200, { 'x-a': 'one\r\nSet-Cookie: evil=1' })
    attempt(channel, 200, { 'x-a': 'nul\0' })
    attempt(channel, 200, { 'x-a': ['ok', 'bad\n'] })
    attempt(channel, 200, { 'bad name': 'x' })
    attempt(channel, 200, { 'x-a\r\nx-b': 'x' })
    attempt(channel, 200, { 'x-a': true as unknown as string })
    attempt(channel, 99)
    attempt(channel, 200.5)
    channel.writeHead(299)
    attempt(channel, 200)
    void channel.sink.close()
  }))
  const { port } = await listen(app)
  const raw = await rawRequest(port, 'GET /bad HTTP/1.1\r\nHost: x\r\n\r\n')
  t.match(raw, /^HTTP\/1\.1 299 Unknown\r\n/, 'a status without a reason phrase')
  t.notMatch(raw, /evil|nul|bad/)
  t.same(errors.map((error) => (error as { code: string }).code), [
    ...Array(8).fill('FST_ERR_RELIC_INVALID_HEAD'), 'FST_ERR_RELIC_HEAD_WRITTEN'
  ])
  t.ok(errors.slice(0, 8).every((error) => error instanceof TypeError))
})

t.test('drained() resolves at once for a connection that is gone with bytes still buffered', async (t) => {
  const app = await build(t)
  let resolved = false
  app.relic.get('/gone', () => new Hijack(async (channel) => {
    channel.writeHead(200)
    while (!channel.socket.writableNeedDrain) channel.sink.add(Buffer.alloc(64 * 1024))
    channel.socket.destroy()
    await channel.drained()
    resolved = true
  }))
  const { port } = await listen(app)
  const socket = netConnect(port, '127.0.0.1', () => socket.write('GET /gone HTTP/1.1\r\nHost: x\r\n\r\n'))
  socket.pause()
  socket.on('error', () => {})
  t.teardown(() => socket.destroy())
  await until(() => resolved)
  t.pass('resolved')
})

t.test('writeHead once the connection has ended is a coded error', async (t) => {
  const app = await build(t)
  let error: unknown
  app.relic.get('/late', () => new Hijack(async (channel) => {
    await channel.sink.close()
    try {
      channel.writeHead(200)
    } catch (caught) {
      error = caught
    }
  }))
  const { port } = await listen(app)
  await rawRequest(port, 'GET /late HTTP/1.1\r\nHost: x\r\n\r\n')
  await until(() => error !== undefined)
  t.equal((error as { code: string }).code, 'FST_ERR_RELIC_HEAD_WRITTEN')
})

t.test('drained(): a writer awaiting it sends 100 MB to a slow reader in bounded memory', async (t) => {
  const chunk = Buffer.alloc(64 * 1024, 97)
  const total = 1600
  let sent = 0
  let maxBuffered = 0
  const app = await build(t)
  app.relic.get('/bulk', () => new Hijack(async (channel) => {
    channel.writeHead(200, { 'Content-Length': total * chunk.length, Connection: 'close' })
    for (; sent < total; sent++) {
      channel.sink.add(chunk)
      maxBuffered = Math.max(maxBuffered, channel.socket.writableLength)
      await channel.drained()
    }
    await channel.sink.close()
  }))
  const { http } = await listen(app)
  const memory = memoryPeak()
  // A reader in a process of its own (so this process's memory is the server's), slow: it
  // sleeps first, then reads with a pause every 16 chunks.
  const reader = spawn(process.execPath, ['-e', `
    const http = require('node:http')
    http.get(${JSON.stringify(`${http}/bulk`)}, (response) => {
      response.pause()
      let count = 0, bytes = 0
      setTimeout(() => response.resume(), 300)
      response.on('data', (chunk) => { bytes += chunk.length; if (++count % 16 === 0) { response.pause(); setTimeout(() => response.resume(), 1) } })
      response.on('end', () => { console.log(bytes); process.exit(0) })
    })`])
  t.teardown(() => { reader.kill() })
  let output = ''
  reader.stdout.on('data', (data: Buffer) => { output += data.toString() })
  await until(() => sent > 0, 5000)
  await sleep(150)
  t.ok(sent < 200, `the writer waited (${sent} chunks sent while the reader slept)`)
  await new Promise((resolve) => reader.once('exit', resolve))
  const growth = memory.stop()
  t.equal(Number(output), total * chunk.length, 'every byte arrived')
  t.ok(maxBuffered < 1024 * 1024, `at most ${(maxBuffered / 1024).toFixed(0)} KiB waited in the socket`)
  t.ok(growth < 48 * 1024 * 1024, `memory grew by ${(growth / 2 ** 20).toFixed(1)} MB for 100 MB sent`)
})
