import t from 'tap'
import { connect as http2Connect } from 'node:http2'
import { connect as netConnect, type Socket } from 'node:net'
import Fastify from 'fastify'
import relic, { Hijack, HijackChannel, WebSocketUpgrade } from '../lib/index.js'
import { build, captureLogs, listen, until } from './helper.js'

/** A raw client: what it wrote, what it read, and when the server closed. */
function client (port: number, request: string): { socket: Socket, text: () => string, ended: Promise<void> } {
  let text = ''
  const socket = netConnect(port, '127.0.0.1', () => socket.write(request))
  socket.on('data', (chunk) => { text += chunk.toString() })
  socket.on('error', () => {})
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()))
  return { socket, text: () => text, ended }
}

t.test('a Hijack writes its own HTTP head and body, then closes', async (t) => {
  const app = await build(t)
  app.relic.get('/custom', () => new Hijack((channel) => {
    channel.sink.add('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\n')
    channel.sink.add(new TextEncoder().encode('hello'))
    void channel.sink.close()
  }))
  const { http, port } = await listen(app)
  const response = await fetch(`${http}/custom`)
  t.equal(response.status, 200)
  t.equal(await response.text(), 'hello')
  const raw = client(port, 'GET /custom HTTP/1.1\r\nHost: x\r\n\r\n')
  await raw.ended
  t.equal(raw.text(), 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello',
    'exactly the bytes the callback wrote')
})

t.test('sink.done resolves when the client leaves; later adds return false and never throw', async (t) => {
  const app = await build(t)
  let channel: HijackChannel | undefined
  let afterDone: boolean | undefined
  const finished = new Promise<void>((resolve) => {
    app.relic.get('/sse', () => new Hijack(async (c) => {
      channel = c
      c.sink.add('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n')
      const timer = setInterval(() => c.sink.add('data: tick\n\n'), 5)
      await c.sink.done
      clearInterval(timer)
      afterDone = c.sink.add('data: too late\n\n')
      resolve()
    }))
  })
  const { port } = await listen(app)
  const raw = client(port, 'GET /sse HTTP/1.1\r\nHost: x\r\n\r\n')
  await until(() => raw.text().split('data: tick').length > 3)
  raw.socket.destroy()
  await finished
  t.equal(afterDone, false)
  t.equal(channel?.sink.add('again'), false)
  await channel?.sink.close()
  t.pass('close after the end resolves')
})

t.test('an Upgrade request hands over the socket: a custom two-way protocol, bytes after the head included', async (t) => {
  const app = await build(t)
  app.relic.get('/echo', (request) => request.headers.upgrade === 'echo'
    ? new Hijack(async (channel) => {
      channel.sink.add('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n')
      for await (const bytes of channel.stream) {
        const text = Buffer.from(bytes).toString()
        channel.sink.add(`echo:${text};`)
        if (text.includes('quit')) break
      }
      t.ok(!channel.socket.destroyed, 'leaving the stream does not destroy the socket')
      await channel.sink.close()
    })
    : new Response('use Upgrade: echo', { status: 426 }))
  const { port } = await listen(app)
  const raw = client(port, 'GET /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly')
  await until(() => raw.text().includes('echo:early;'))
  raw.socket.write('quit')
  await raw.ended
  t.equal(raw.text(), 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\necho:early;echo:quit;')
})

t.test('a callback that throws or rejects is logged and its connection destroyed; the server lives on', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  app.relic.get('/sync', () => new Hijack(() => { throw new Error('hijack bug') }))
  app.relic.get('/async', () => new Hijack(async (channel) => {
    channel.sink.add('HTTP/1.1 200 OK\r\n')
    throw new Error('async hijack bug')
  }))
  const { port } = await listen(app)
  for (const [path, message] of [['/sync', 'hijack bug'], ['/async', 'async hijack bug']] as const) {
    const raw = client(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`)
    await raw.ended
    const line = lines.find((l) => l.err?.message === message)
    t.equal(line?.level, 50, `${path} logged at error level`)
    t.match(line?.reqId, /^req-/)
  }
  t.equal((await app.inject('/sync')).statusCode, 500, 'still answering')
})

t.test('on a plain request, stream yields what is left of the body', async (t) => {
  const app = await build(t)
  // A parser that leaves the body unread, so the Hijack gets it.
  app.addContentTypeParser('application/octet-stream', (_request, _payload, done) => { done(null) })
  app.relic.post('/upload', () => new Hijack(async (channel) => {
    let body = ''
    for await (const bytes of channel.stream) body += Buffer.from(bytes).toString()
    channel.sink.add(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`)
    await channel.sink.close()
  }))
  app.relic.get('/nothing', () => new Hijack(async (channel) => {
    let chunks = 0
    for await (const _bytes of channel.stream) chunks++
    channel.sink.add(`HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\n${chunks}`)
    await channel.sink.close()
  }))
  const { http } = await listen(app)
  const upload = await fetch(`${http}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'payload' })
  t.equal(await upload.text(), 'payload')
  t.equal(await (await fetch(`${http}/nothing`)).text(), '0', 'a GET has no body left')
})

t.test('a connection error is normal: a reset while streaming crashes nothing', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  let done = false
  app.relic.get('/upgrade', () => new Hijack(async (channel) => {
    channel.sink.add('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n')
    for await (const _bytes of channel.stream) channel.sink.add('x'.repeat(65536))
    await channel.sink.done
    done = true
  }))
  const { port } = await listen(app)
  const raw = client(port, 'GET /upgrade HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\nhello')
  await until(() => raw.text().includes('101'))
  raw.socket.resetAndDestroy()
  await until(() => done)
  t.notOk(lines.some((l) => l.level >= 50), 'nothing logged as an error')
})

t.test('a Hijack without a raw HTTP/1.1 connection is a coded 500', async (t) => {
  const app = await build(t)
  app.relic.get('/h', () => new Hijack(() => { t.fail('must not run') }))
  const injected = await app.inject('/h')
  t.equal(injected.statusCode, 500)
  t.equal(injected.json().code, 'FST_ERR_RELIC_HIJACK_UNSUPPORTED')

  const h2 = Fastify({ http2: true })
  t.teardown(() => h2.close())
  await h2.register(relic)
  h2.relic.get('/h', () => new Hijack(() => { t.fail('must not run') }))
  const address = await h2.listen({ port: 0, host: '127.0.0.1' })
  const session = http2Connect(address)
  t.teardown(() => session.close())
  const { status, body } = await new Promise<{ status: number, body: string }>((resolve) => {
    const stream = session.request({ ':path': '/h' })
    let status = 0
    let body = ''
    stream.on('response', (headers) => { status = headers[':status'] as number })
    stream.on('data', (chunk: Buffer) => { body += chunk.toString() })
    stream.on('end', () => resolve({ status, body }))
  })
  t.equal(status, 500)
  t.match(JSON.parse(body), { code: 'FST_ERR_RELIC_HIJACK_UNSUPPORTED', message: /HTTP\/2\.0 request/ })
})

t.test('app.close() ends open hijacked connections and resolves', async (t) => {
  const app = Fastify()
  await app.register(relic)
  let done = false
  app.relic.get('/sse', () => new Hijack(async (channel) => {
    channel.sink.add('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: hi\n\n')
    await channel.sink.done
    done = true
  }))
  const { port } = await listen(app)
  const raw = client(port, 'GET /sse HTTP/1.1\r\nHost: x\r\n\r\n')
  await until(() => raw.text().includes('data: hi'))
  await app.close()
  await raw.ended
  await until(() => done)
  t.pass('the client saw the end, and sink.done resolved')
})

t.test('bad arguments are refused with coded errors', async (t) => {
  t.throws(() => new Hijack('nope' as never), { code: 'FST_ERR_RELIC_INVALID_CALLBACK', message: /Hijack/ })
  t.throws(() => new WebSocketUpgrade(undefined as never), { code: 'FST_ERR_RELIC_INVALID_CALLBACK', message: /WebSocketUpgrade/ })
  const app = await build(t)
  let error: unknown
  app.relic.get('/h', () => new Hijack(async (channel) => {
    try {
      channel.sink.add(42 as never)
    } catch (caught) {
      error = caught
    }
    await channel.sink.close()
  }))
  const { port } = await listen(app)
  await client(port, 'GET /h HTTP/1.1\r\nHost: x\r\n\r\n').ended
  t.match(error, { code: 'FST_ERR_RELIC_INVALID_PAYLOAD' })
})

t.test('a Hijack for a client that already left: done is resolved and add returns false', async (t) => {
  const app = await build(t)
  let state: { added: boolean, done: boolean } | undefined
  app.relic.get('/late', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100))
    return new Hijack(async (channel) => {
      let done = false
      void channel.sink.done.then(() => { done = true })
      await new Promise((resolve) => setImmediate(resolve))
      state = { added: channel.sink.add('HTTP/1.1 200 OK\r\n\r\n'), done }
    })
  })
  const { port } = await listen(app)
  const raw = client(port, 'GET /late HTTP/1.1\r\nHost: x\r\n\r\n')
  setTimeout(() => raw.socket.destroy(), 20)
  await until(() => state !== undefined)
  t.same(state, { added: false, done: true })
})

t.test('after an upgrade, a peer that ends its side ends the connection: sink.done resolves', async (t) => {
  const app = await build(t)
  let done = false
  app.relic.get('/up', () => new Hijack(async (channel) => {
    channel.sink.add('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n')
    await channel.sink.done
    done = true
  }))
  const { port } = await listen(app)
  const raw = client(port, 'GET /up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n')
  await until(() => raw.text().includes('101'))
  raw.socket.end()
  await until(() => done)
  await raw.ended
  t.pass('both sides closed')
})

t.test('the bytes after the head arrive when @fastify/websocket listens on a server of its own', async (t) => {
  const { createServer } = await import('node:http')
  const { default: fastifyWebsocket } = await import('@fastify/websocket')
  const upgrades = createServer()
  upgrades.listen(0, '127.0.0.1')
  await new Promise((resolve) => upgrades.once('listening', resolve))
  t.teardown(() => upgrades.close())
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyWebsocket, { options: { server: upgrades } })
  await app.register(relic)
  app.relic.get('/echo', () => new Hijack(async (channel) => {
    channel.sink.add('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n')
    for await (const bytes of channel.stream) {
      channel.sink.add(`echo:${Buffer.from(bytes).toString()};`)
      break
    }
    await channel.sink.close()
  }))
  await app.ready()
  const raw = client((upgrades.address() as { port: number }).port,
    'GET /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly')
  await raw.ended
  t.match(raw.text(), /\r\n\r\necho:early;$/)
})

t.test('a request nobody kept a head for has an empty head', async (t) => {
  const { IncomingMessage } = await import('node:http')
  const { Socket } = await import('node:net')
  const { upgradeHead } = await import('../lib/upgrade-socket.js')
  t.equal(upgradeHead(new IncomingMessage(new Socket())).length, 0)
})
