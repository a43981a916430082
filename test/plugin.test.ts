import t from 'tap'
import Fastify from 'fastify'
import fastifyWebsocket from '@fastify/websocket'
import relic, { WebSocketUpgrade, fastifyRelic } from '../lib/index.js'
import { build, connect, listen, messages } from './helper.js'

t.test('registers @fastify/websocket itself and decorates app.relic', async (t) => {
  const app = await build(t)
  t.ok(app.hasPlugin('@fastify/websocket'))
  t.ok(app.hasPlugin('fastify-relic'))
  t.type(app.relic.get, 'function')
  t.equal(relic, fastifyRelic)
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
