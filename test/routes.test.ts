import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { Hijack, WebSocketUpgrade } from '../lib/index.js'
import { build } from './helper.js'

t.test('each shorthand registers a route for its method and returns the instance', async (t) => {
  const app = await build(t)
  const methods = ['get', 'post', 'put', 'patch', 'delete', 'options'] as const
  for (const method of methods) {
    t.equal(app.relic[method](`/${method}`, (request) => ({ method: request.method })), app)
  }
  t.equal(app.relic.head('/head', (_request, reply) => reply.header('x-head', 'yes').send()), app)
  for (const method of methods) {
    const response = await app.inject({ method: method.toUpperCase() as 'GET', url: `/${method}` })
    t.same(response.json(), { method: method.toUpperCase() }, method)
  }
  const head = await app.inject({ method: 'HEAD', url: '/head' })
  t.equal(head.headers['x-head'], 'yes')
  t.equal((await app.inject({ method: 'POST', url: '/get' })).statusCode, 404)
})

t.test('all() answers every method', async (t) => {
  const app = await build(t)
  app.relic.all('/any', (request) => request.method)
  for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const) {
    t.equal((await app.inject({ method, url: '/any' })).body, method)
  }
})

t.test('route() takes Fastify route options and chains', async (t) => {
  const app = await build(t)
  const returned = app.relic.route({ method: ['GET', 'POST'], url: '/r', handler: () => 'routed' })
  t.equal(returned, app)
  t.equal((await app.inject('/r')).body, 'routed')
  t.equal((await app.inject({ method: 'POST', url: '/r' })).body, 'routed')
})

t.test('shorthands take options, with the handler as argument or inside', async (t) => {
  const app = await build(t)
  app
    .relic.get('/a', { config: { name: 'a' } }, (request) => request.routeOptions.config)
    .relic.get('/b', { config: { name: 'b' }, handler: (request) => request.routeOptions.config })
  t.match((await app.inject('/a')).json(), { name: 'a' })
  t.match((await app.inject('/b')).json(), { name: 'b' })
})

t.test('schemas validate and serialize as on app.get', async (t) => {
  const app = await build(t)
  app.relic.post('/users/:id', {
    schema: {
      params: { type: 'object', properties: { id: { type: 'integer' } } },
      body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      response: { 200: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } }
    }
  }, (request) => ({ ...(request.params as object), ...(request.body as object), secret: 'dropped by the serializer' }))
  const ok = await app.inject({ method: 'POST', url: '/users/7', payload: { name: 'ada' } })
  t.same(ok.json(), { id: 7, name: 'ada' })
  const bad = await app.inject({ method: 'POST', url: '/users/7', payload: {} })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().code, 'FST_ERR_VALIDATION')
})

t.test('route hooks and instance hooks run around a relic handler', async (t) => {
  const app = await build(t)
  const order: string[] = []
  app.addHook('onRequest', async () => { order.push('onRequest') })
  app.relic.get('/hooks', {
    preHandler: async () => { order.push('preHandler') },
    onSend: async (_request, _reply, payload) => { order.push('onSend'); return payload }
  }, () => { order.push('handler'); return 'ok' })
  await app.inject('/hooks')
  t.same(order, ['onRequest', 'preHandler', 'handler', 'onSend'])
})

t.test('constraints route by version and host', async (t) => {
  const app = await build(t)
  app.relic.get('/v', { constraints: { version: '1.0.0' } }, () => 'one')
  app.relic.get('/v', { constraints: { version: '2.0.0' } }, () => 'two')
  app.relic.get('/h', { constraints: { host: 'example.com' } }, () => 'example')
  t.equal((await app.inject({ url: '/v', headers: { 'accept-version': '2.x' } })).body, 'two')
  t.equal((await app.inject({ url: '/v', headers: { 'accept-version': '1.x' } })).body, 'one')
  t.equal((await app.inject({ url: '/h', headers: { host: 'example.com' } })).body, 'example')
  t.equal((await app.inject({ url: '/h', headers: { host: 'other.com' } })).statusCode, 404)
})

t.test('prefixes and encapsulation apply to child.relic', async (t) => {
  const app = await build(t)
  let self: FastifyInstance | undefined
  let child: FastifyInstance | undefined
  await app.register(async (instance) => {
    child = instance
    instance.decorateRequest('inside', 'yes')
    instance.addHook('onRequest', async (_request, reply) => { reply.header('x-child', '1') })
    instance.relic.get('/:id', function (request) {
      self = this
      return { id: (request.params as { id: string }).id, inside: (request as unknown as { inside: string }).inside }
    })
  }, { prefix: '/users' })
  app.relic.get('/outside', (_request, reply) => reply.getHeader('x-child') ?? 'none')
  const inside = await app.inject('/users/42')
  t.same(inside.json(), { id: '42', inside: 'yes' })
  t.equal(inside.headers['x-child'], '1')
  t.equal(self, child, 'this is the encapsulated instance')
  t.equal((await app.inject('/outside')).body, 'none', 'the child hook does not leak out')
  t.not(app.relic, child?.relic, 'each instance has its own facade')
  t.equal(app.relic, app.relic, 'and keeps it')
})

t.test('bad route definitions fail at registration with coded errors', async (t) => {
  const app = await build(t)
  t.throws(() => app.relic.get('/x', 'nope' as never), { code: 'FST_ERR_RELIC_INVALID_ROUTE_OPTION' })
  t.throws(() => app.relic.get('/x', {} as never), { code: 'FST_ERR_RELIC_INVALID_HANDLER' })
  t.throws(() => app.relic.route(null as never), { code: 'FST_ERR_RELIC_INVALID_ROUTE_OPTION' })
  t.throws(() => app.relic.get('/x', { handler: () => 'a' } as never, () => 'b'), { code: 'FST_ERR_RELIC_INVALID_ROUTE_OPTION' })
  t.throws(() => app.relic.get('/x', { websocket: true }, () => 'a'), {
    code: 'FST_ERR_RELIC_INVALID_ROUTE_OPTION', message: /WebSocketUpgrade/
  })
  t.throws(() => app.relic.route({ method: 'GET', url: '/x', wsHandler: () => {}, handler: () => 'a' } as never), {
    code: 'FST_ERR_RELIC_INVALID_ROUTE_OPTION'
  })
})

t.test('relic routes chain through .relic, since each call returns the instance', async (t) => {
  const app = await build(t)
  app.relic.get('/a', () => 'a').relic.post('/b', () => 'b')
  t.equal((await app.inject('/a')).body, 'a')
  t.equal((await app.inject({ method: 'POST', url: '/b' })).body, 'b')
})

t.test('a relic result returned from a plain Fastify route is a coded 500, not a silent {}', async (t) => {
  const app = await build(t)
  app.get('/plain', () => new WebSocketUpgrade(() => {}))
  app.get('/plain-hijack', async () => new Hijack(() => {}))
  for (const [url, name] of [['/plain', 'WebSocketUpgrade'], ['/plain-hijack', 'Hijack']]) {
    const response = await app.inject(url as string)
    t.equal(response.statusCode, 500)
    t.match(response.json(), { code: 'FST_ERR_RELIC_NOT_A_RELIC_ROUTE', message: new RegExp(`A ${name} was returned`) })
  }
})
