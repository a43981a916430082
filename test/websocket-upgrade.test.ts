import t from 'tap'
import { connect as netConnect } from 'node:net'
import WebSocket from 'ws'
import { WebSocketUpgrade } from '../lib/index.js'
import { build, captureLogs, closed, connect, listen, messages, until } from './helper.js'

/** Sends a raw request and resolves with everything the server wrote before closing. */
function rawRequest (port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.write(request))
    let text = ''
    socket.on('data', (chunk) => { text += chunk.toString() })
    socket.on('close', () => resolve(text))
    socket.on('error', reject)
  })
}

t.test('a WebSocketUpgrade completes the handshake and runs the callback with the socket', async (t) => {
  const app = await build(t)
  const seen: string[] = []
  app.addHook('onRequest', async (request) => { seen.push(`onRequest ${request.headers.upgrade}`) })
  app.relic.get('/echo', { preHandler: async () => { seen.push('preHandler') } }, () =>
    new WebSocketUpgrade(async (ws) => {
      for await (const event of ws.events) if (event.type === 'text') ws.sendText(`Echo: ${event.text}`)
    }))
  let connections = 0
  app.websocketServer.on('connection', () => { connections++ })
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/echo`)
  client.send('hello')
  t.same(await messages(client, 1), ['Echo: hello'])
  t.same(seen, ['onRequest websocket', 'preHandler'], 'hooks ran for the upgrade request')
  t.equal(connections, 1, "@fastify/websocket's server emits connection")
})

t.test('a Response refuses the upgrade with a real HTTP status, after async work', async (t) => {
  const app = await build(t)
  let ran = false
  app.relic.get('/ws', async (request) => {
    await new Promise((resolve) => setTimeout(resolve, 20))
    if (request.headers.authorization !== 'Bearer ok') {
      return new Response('{"error":"unauthorized"}', {
        status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }
      })
    }
    return new WebSocketUpgrade(() => { ran = true })
  })
  const { ws: base } = await listen(app)
  let open = 0
  app.server.on('connection', (socket) => {
    open++
    socket.on('close', () => { open-- })
  })
  const client = new WebSocket(`${base}/ws`)
  const refusal = await new Promise<{ status: number, auth: string | undefined, body: string }>((resolve) => {
    client.on('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => { body += chunk.toString() })
      response.on('end', () => resolve({ status: response.statusCode as number, auth: response.headers['www-authenticate'] as string, body }))
    })
  })
  client.on('error', () => {})
  t.same(refusal, { status: 401, auth: 'Bearer', body: '{"error":"unauthorized"}' })
  t.notOk(ran, 'the callback did not run')
  t.equal(app.relic.connections, 0)
  await until(() => open === 0)
  t.pass('the refused connection is closed on the server')
  const accepted = await connect(t, `${base}/ws`, { headers: { authorization: 'Bearer ok' } })
  t.equal(accepted.readyState, WebSocket.OPEN, 'the same route accepts an authorised client')
})

t.test('a hook that sends a reply refuses the upgrade too', async (t) => {
  const app = await build(t)
  app.relic.get('/ws', { onRequest: async (_request, reply) => reply.code(403).send('forbidden') }, () =>
    new WebSocketUpgrade(() => {}))
  const { ws: base } = await listen(app)
  const client = new WebSocket(`${base}/ws`)
  const status = await new Promise((resolve) => client.on('unexpected-response', (_request, response) => resolve(response.statusCode)))
  client.on('error', () => {})
  client.terminate()
  t.equal(status, 403)
})

t.test('a WebSocketUpgrade for a plain request answers 426 Upgrade Required', async (t) => {
  const app = await build(t)
  let ran = false
  app.relic.get('/ws', () => new WebSocketUpgrade(() => { ran = true }))
  const { http } = await listen(app)
  const response = await fetch(`${http}/ws`)
  t.equal(response.status, 426)
  t.equal(response.headers.get('upgrade'), 'websocket')
  t.match(await response.json(), { statusCode: 426, code: 'FST_ERR_RELIC_UPGRADE_REQUIRED', error: 'Upgrade Required' })
  t.notOk(ran)
})

t.test('a WebSocketUpgrade for an upgrade to another protocol answers 426', async (t) => {
  const app = await build(t)
  app.relic.get('/ws', () => new WebSocketUpgrade(() => { t.fail('must not run') }))
  const { port } = await listen(app)
  const answer = await rawRequest(port, 'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n')
  t.match(answer, /^HTTP\/1\.1 426 Upgrade Required\r\n/)
  t.match(answer, /\r\nupgrade: websocket\r\n/i)
  t.match(answer, /FST_ERR_RELIC_UPGRADE_REQUIRED/)
})

t.test('a handshake that ws rejects (no key) gets 400 and the callback never runs', async (t) => {
  const app = await build(t)
  app.relic.get('/ws', () => new WebSocketUpgrade(() => { t.fail('must not run') }))
  const { port } = await listen(app)
  const answer = await rawRequest(port,
    'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n')
  t.match(answer, /^HTTP\/1\.1 400 /)
})

t.test('an ordinary result for an upgrade request is sent as HTTP and the socket closed', async (t) => {
  const app = await build(t)
  app.relic.get('/json', () => ({ not: 'a websocket' }))
  const { ws: base } = await listen(app)
  const client = new WebSocket(`${base}/json`)
  const status = await new Promise((resolve) => client.on('unexpected-response', (_request, response) => {
    response.resume()
    resolve(response.statusCode)
  }))
  client.on('error', () => {})
  t.equal(status, 200)
})

t.test('messages sent while the callback awaits are buffered, none lost, in order', async (t) => {
  const app = await build(t)
  app.relic.get('/slow', () => new WebSocketUpgrade(async (ws) => {
    await new Promise((resolve) => setTimeout(resolve, 150)) // a database call, say
    const received: string[] = []
    for await (const event of ws.events) {
      if (event.type === 'text') received.push(event.text)
      if (received.length === 5) break
    }
    ws.sendText(received.join(','))
  }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/slow`)
  for (let i = 1; i <= 5; i++) client.send(`m${i}`)
  t.same(await messages(client, 1), ['m1,m2,m3,m4,m5'])
})

t.test('a callback that throws closes with 1011 and logs the error with the request id', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  app
    .relic.get('/throw', () => new WebSocketUpgrade(() => { throw new Error('sync bug') }))
    .relic.get('/reject', () => new WebSocketUpgrade(async () => { throw new Error('async bug') }))
  const { ws: base } = await listen(app)
  for (const [path, message] of [['/throw', 'sync bug'], ['/reject', 'async bug']] as const) {
    const client = await connect(t, `${base}${path}`)
    t.equal((await closed(client)).code, 1011, path)
    const line = lines.find((l) => l.err?.message === message)
    t.equal(line?.level, 50, 'logged at error level')
    t.match(line?.reqId, /^req-/)
  }
  t.equal((await app.inject('/throw')).statusCode, 426, 'the server still answers')
})

t.test('a client that leaves while the handler awaits leaves nothing behind', async (t) => {
  const app = await build(t)
  let handled: () => void = () => {}
  const handlerDone = new Promise<void>((resolve) => { handled = resolve })
  app.relic.get('/ws', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100))
    setImmediate(handled)
    return new WebSocketUpgrade(() => { t.fail('no socket to run on') })
  })
  const { port } = await listen(app)
  const socket = netConnect(port, '127.0.0.1', () => {
    socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
    setTimeout(() => socket.destroy(), 20)
  })
  await handlerDone
  t.equal(app.relic.connections, 0)
})

t.test('a refusal with a large streamed body arrives whole, with Connection: close', async (t) => {
  const app = await build(t)
  const size = 1 << 20
  app.relic.get('/ws', () => new Response(new ReadableStream({
    start (controller) {
      for (let sent = 0; sent < size; sent += 1 << 16) controller.enqueue(new Uint8Array(1 << 16).fill(120))
      controller.close()
    }
  }), { status: 401 }))
  const { ws: base } = await listen(app)
  const client = new WebSocket(`${base}/ws`)
  client.on('error', () => {})
  const { status, connection, bytes } = await new Promise<{ status: number, connection: string, bytes: number }>((resolve) => {
    client.on('unexpected-response', (_request, response) => {
      let bytes = 0
      response.on('data', (chunk: Buffer) => { bytes += chunk.length })
      response.on('end', () => resolve({ status: response.statusCode as number, connection: response.headers.connection as string, bytes }))
    })
  })
  t.same({ status, connection, bytes }, { status: 401, connection: 'close', bytes: size })
})

t.test('a handler that throws on an upgrade request answers through the error handler, and upgrades nothing', async (t) => {
  const app = await build(t)
  app.setErrorHandler((error, _request, reply) => { reply.code(418).send({ handled: (error as Error).message }) })
  app.relic
    .get('/sync', () => { throw new Error('sync') })
    .relic.get('/async', async () => { throw new Error('async') })
  const { port } = await listen(app)
  for (const path of ['/sync', '/async']) {
    const answer = await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
    t.match(answer, /^HTTP\/1\.1 418 /, path)
    t.match(answer, new RegExp(`\\{"handled":"${path.slice(1)}"\\}$`))
  }
  t.equal(app.relic.connections, 0)
})
