import t from 'tap'
import { RelicApp, WebSocketUpgrade } from '../lib/index.js'
import { connect, messages } from './helper.js'

t.test('RelicApp chains routes, registers plugins and serves', async (t) => {
  const app = new RelicApp()
  t.teardown(() => app.close())
  let registered = false
  const returned = app
    .get('/hello', () => new Response('hello'))
    .post('/echo', (request) => request.body as object)
    .put('/put', () => 'put')
    .patch('/patch', () => 'patch')
    .delete('/delete', () => 'delete')
    .options('/options', () => 'options')
    .head('/head', (_request, reply) => reply.header('x-head', '1').send())
    .all('/all', (request) => request.method)
    .route({ method: 'GET', url: '/route', handler: () => 'route' })
    .get('/ws', () => new WebSocketUpgrade((ws) => { ws.sendText('hi') }))
    .register(async (instance) => {
      registered = true
      instance.get('/plain', async () => 'plain fastify')
    })
  t.equal(returned, app)
  const address = await app.serve({ port: 0 })
  t.match(address, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.ok(registered)
  t.equal(await (await fetch(`${address}/hello`)).text(), 'hello')
  t.same(await (await fetch(`${address}/echo`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}'
  })).json(), { a: 1 })
  for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    t.equal(await (await fetch(`${address}/${method.toLowerCase()}`, { method })).text(), method.toLowerCase())
  }
  t.equal((await fetch(`${address}/head`, { method: 'HEAD' })).headers.get('x-head'), '1')
  t.equal(await (await fetch(`${address}/all`, { method: 'PUT' })).text(), 'PUT')
  t.equal(await (await fetch(`${address}/route`)).text(), 'route')
  t.equal(await (await fetch(`${address}/plain`)).text(), 'plain fastify')
  const client = await connect(t, `${address.replace('http', 'ws')}/ws`)
  t.same(await messages(client, 1), ['hi'])
  t.equal(app.fastify.hasPlugin('fastify-relic'), true)
})

t.test('serve() defaults to 127.0.0.1:8080', async (t) => {
  const app = new RelicApp().get('/', () => 'default')
  t.teardown(() => app.close())
  const address = await app.serve()
  t.equal(address, 'http://127.0.0.1:8080')
})

t.test('a bad route or a failing plugin fails serve()', async (t) => {
  const bad = new RelicApp().get('/x', 'not a handler' as never)
  t.teardown(() => bad.close())
  await t.rejects(bad.serve({ port: 0 }), { code: 'FST_ERR_RELIC_INVALID_ROUTE_OPTION' })
  const failing = new RelicApp()
    .register(async () => { throw new Error('plugin failed') })
    .get('/y', () => 'y')
  t.teardown(() => failing.close())
  await t.rejects(failing.serve({ port: 0 }), { message: 'plugin failed' })
})

t.test('routes added once relic has loaded go straight in; after start they fail at once', async (t) => {
  const app = new RelicApp()
  t.teardown(() => app.close())
  await app.fastify.after()
  app.get('/direct', () => 'direct')
  const address = await app.serve({ port: 0 })
  t.equal(await (await fetch(`${address}/direct`)).text(), 'direct')
  t.throws(() => app.get('/late', () => 'late'), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING' })
})
