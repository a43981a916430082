import t from 'tap'
import Fastify from 'fastify'
import fastifyWebsocket from '@fastify/websocket'
import relic, { WebSocketUpgrade, fastifyRelic } from '../lib/index.js'
import { build, connect, listen, messages } from './helper.js'

t.test('registers @fastify/websocket itself, in a context of its own, and decorates app.relic', async (t) => {
  const app = await build(t)
  t.ok(app.hasPlugin('fastify-relic'))
  t.type(app.relic.get, 'function')
  t.equal(relic, fastifyRelic)
  t.ok(app.websocketServer, 'its server is on the app')
  t.type(app.injectWS, 'function')
  t.notOk(app.hasPlugin('@fastify/websocket'), 'encapsulated: its hooks are not on the routes of the app')
  let hooks = 0
  app.addHook('onRoute', (route) => { hooks = [route.onRequest, route.onResponse].flat().filter(Boolean).length })
  app.get('/plain', () => 'plain')
  t.equal(hooks, 0)
})

t.test('an upgrade request to a plain route gets its HTTP answer, then the socket is closed', async (t) => {
  const app = await build(t)
  app.get('/plain', () => ({ plain: true }))
  const { port } = await listen(app)
  const { connect: netConnect } = await import('node:net')
  const answer = await new Promise<string>((resolve) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      socket.write('GET /plain HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
    })
    let text = ''
    socket.on('data', (chunk) => { text += chunk.toString() })
    socket.on('close', () => resolve(text))
  })
  t.match(answer, /^HTTP\/1\.1 200 OK[\s\S]*\{"plain":true\}$/)
})

t.test('passes options.websocket through to @fastify/websocket', async (t) => {
  const app = await build(t, { relic: { websocket: { options: { maxPayload: 1234 } } } })
  t.equal(app.websocketServer.options.maxPayload, 1234)
})

t.test('works when @fastify/websocket was registered first', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyWebsocket)
  await app.register(relic)
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => { ws.sendText('hi') }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  t.same(await messages(client, 1), ['hi'])
})

t.test('refuses options.websocket when @fastify/websocket is already registered', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyWebsocket)
  await t.rejects(async () => { await app.register(relic, { websocket: {} }) }, { code: 'FST_ERR_RELIC_INVALID_OPTIONS' })
})

t.test('refuses a websocket option that is not an object', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await t.rejects(async () => { await app.register(relic, { websocket: 'yes' as never }) }, { code: 'FST_ERR_RELIC_INVALID_OPTIONS' })
})
