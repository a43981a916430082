import t from 'tap'
import { Readable } from 'node:stream'
import { build, listen } from './helper.js'

t.test('a web Response sends its status, headers and body', async (t) => {
  const app = await build(t)
  app.relic.get('/teapot', () => new Response('short and stout', {
    status: 418, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-kind': 'teapot' }
  }))
  const { http } = await listen(app)
  const response = await fetch(`${http}/teapot`)
  t.equal(response.status, 418)
  t.equal(response.headers.get('x-kind'), 'teapot')
  t.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8')
  t.equal(await response.text(), 'short and stout')
})

t.test('a streamed Response body streams: the first chunk arrives before the last is written', async (t) => {
  const app = await build(t)
  let release: () => void = () => {}
  const second = new Promise<void>((resolve) => { release = resolve })
  app.relic.get('/stream', () => new Response(new ReadableStream({
    async start (controller) {
      controller.enqueue(new TextEncoder().encode('first;'))
      await second
      controller.enqueue(new TextEncoder().encode('second'))
      controller.close()
    }
  })))
  const { http } = await listen(app)
  const response = await fetch(`${http}/stream`)
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const first = await reader.read()
  t.equal(new TextDecoder().decode(first.value), 'first;', 'read while the handler still holds the rest')
  release()
  let rest = ''
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value)
  t.equal(rest, 'second')
})

t.test('onSend and onResponse hooks run for a Response', async (t) => {
  const app = await build(t)
  const seen: string[] = []
  app.addHook('onSend', async (_request, reply, payload) => { seen.push('onSend'); reply.header('x-sent', 'yes'); return payload })
  app.addHook('onResponse', async (_request, reply) => { seen.push(`onResponse ${reply.statusCode}`) })
  app.relic.get('/', async () => new Response('created', { status: 201 }))
  const response = await app.inject('/')
  t.equal(response.statusCode, 201)
  t.equal(response.headers['x-sent'], 'yes')
  t.equal(response.body, 'created')
  t.same(seen, ['onSend', 'onResponse 201'])
})

t.test('anything a Fastify handler returns or sends works unchanged', async (t) => {
  const app = await build(t)
  app
    .relic.get('/object', () => ({ hello: 'world' }))
    .relic.get('/async-object', async () => ({ hello: 'async' }))
    .relic.get('/string', () => 'text')
    .relic.get('/buffer', () => Buffer.from('bytes'))
    .relic.get('/stream', () => Readable.from(['a', 'b', 'c']))
    .relic.get('/send', (_request, reply) => { reply.code(202).send({ sent: true }) })
    .relic.get('/async-send', async (_request, reply) => reply.code(203).send('sent'))
    .relic.get('/later', (_request, reply) => { setTimeout(() => reply.send('later'), 10) })
  t.same((await app.inject('/object')).json(), { hello: 'world' })
  t.same((await app.inject('/async-object')).json(), { hello: 'async' })
  t.equal((await app.inject('/string')).body, 'text')
  t.equal((await app.inject('/buffer')).headers['content-type'], 'application/octet-stream')
  t.equal((await app.inject('/buffer')).body, 'bytes')
  t.equal((await app.inject('/stream')).body, 'abc')
  const sent = await app.inject('/send')
  t.equal(sent.statusCode, 202)
  t.same(sent.json(), { sent: true })
  t.equal((await app.inject('/async-send')).statusCode, 203)
  t.equal((await app.inject('/later')).body, 'later', 'a sync handler may send later, callback style')
})

t.test('handler errors go through the error handler', async (t) => {
  const app = await build(t)
  app
    .relic.get('/throw', () => { throw new Error('sync boom') })
    .relic.get('/reject', async () => { throw Object.assign(new Error('nope'), { statusCode: 409 }) })
  const thrown = await app.inject('/throw')
  t.equal(thrown.statusCode, 500)
  t.match(thrown.json(), { statusCode: 500, error: 'Internal Server Error', message: 'sync boom' })
  const rejected = await app.inject('/reject')
  t.equal(rejected.statusCode, 409)
  t.match(rejected.json(), { message: 'nope' })
})

t.test("the app's error handler decides the error response", async (t) => {
  const app = await build(t)
  app.setErrorHandler((error, _request, reply) => { reply.code(599).send({ custom: (error as Error).message }) })
  app.relic.get('/', async () => { throw new Error('handled') })
  const response = await app.inject('/')
  t.equal(response.statusCode, 599)
  t.same(response.json(), { custom: 'handled' })
})

t.test('HEAD to a relic GET returning a Response answers its status and headers, no body', async (t) => {
  const app = await build(t)
  app.relic.get('/file', () => new Response('0123456789', {
    status: 203,
    headers: [['content-type', 'text/plain'], ['content-length', '10'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]
  }))
  app.relic.get('/stream', () => new Response(new ReadableStream({ pull (controller) { controller.enqueue(new Uint8Array(8)) } })))
  app.relic.get('/empty', () => new Response(null, { status: 204 }))
  const { http } = await listen(app)
  const file = await fetch(`${http}/file`, { method: 'HEAD' })
  t.equal(file.status, 203)
  t.equal(file.headers.get('content-type'), 'text/plain')
  t.equal(file.headers.get('content-length'), '10')
  t.same(file.headers.getSetCookie(), ['a=1', 'b=2'])
  t.equal(await file.text(), '')
  const stream = await fetch(`${http}/stream`, { method: 'HEAD' })
  t.equal(stream.status, 200, 'an endless body is cancelled, not read')
  t.equal((await fetch(`${http}/empty`, { method: 'HEAD' })).status, 204)
})
