import t from 'tap'
import type { IncomingMessage } from 'node:http'
import Fastify from 'fastify'
import fastifyWebsocket from '@fastify/websocket'
import WebSocket from 'ws'
import relic, { WebSocketUpgrade, type RelicWebSocket, type WebSocketOptions } from '../lib/index.js'
import { build, closed, connect, listen, messages } from './helper.js'

const echo = async (ws: RelicWebSocket): Promise<void> => {
  for await (const event of ws.events) if (event.type === 'text') ws.sendText(event.text)
}

// The handshake response a client sees, or its refusal.
export function handshake (url: string, protocols?: string[], options?: WebSocket.ClientOptions):
Promise<{ status: number, headers: IncomingMessage['headers'], body: string, client: WebSocket }> {
  const client = new WebSocket(url, protocols, options)
  client.on('error', () => {})
  return new Promise((resolve) => {
    client.once('upgrade', (response) => resolve({ status: 101, headers: response.headers, body: '', client }))
    client.once('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => { body += chunk.toString() })
      response.on('end', () => resolve({ status: response.statusCode as number, headers: response.headers, body, client }))
    })
  })
}

t.test('bad options are refused with a coded error where they are written', async (t) => {
  const bad: Array<[WebSocketOptions, RegExp]> = [
    [{ maxPayload: 0 }, /"maxPayload"/],
    [{ maxPayload: 1.5 }, /"maxPayload"/],
    [{ compression: 'yes' as unknown as boolean }, /"compression"/],
    [{ compression: null as unknown as boolean }, /"compression"/],
    [{ protocols: [] }, /"protocols"/],
    [{ protocols: ['a b'] }, /"protocols"/],
    [{ protocols: 'chat' as unknown as string[] }, /"protocols"/],
    [{ headers: [] as unknown as Record<string, string> }, /"headers"/],
    [{ headers: null as unknown as Record<string, string> }, /"headers"/],
    [{ headers: { 'x y': '1' } }, /not an HTTP token/],
    [{ headers: { 'x-a': 'one\r\nSet-Cookie: evil=1' } }, /CR, LF or NUL/],
    [{ headers: { 'x-a': ['ok', 'bad\n'] } }, /CR, LF or NUL/],
    [{ headers: { 'x-a': true as unknown as string } }, /CR, LF or NUL/],
    [{ headers: { 'Sec-WebSocket-Accept': 'x' } }, /part of the handshake/],
    [{ headers: { Upgrade: 'x' } }, /part of the handshake/],
    [{ pingInterval: 0 }, /"pingInterval"/],
    [{ pingInterval: Infinity }, /"pingInterval"/],
    [{ pingInterval: 2 ** 31 }, /"pingInterval"/],
    [{ maxBufferedEvents: 0 }, /"maxBufferedEvents"/],
    [{ maxBufferedBytes: -1 }, /"maxBufferedBytes"/],
    [{ allowAnyOrigin: 'yes' as unknown as boolean }, /"allowAnyOrigin"/],
    [{ allowAnyOrigin: true, allowedOrigins: ['https://a.example'] }, /not both/],
    [{ allowedOrigins: 'https://a.example' as unknown as string[] }, /"allowedOrigins"/],
    [{ allowedOrigins: [1] as unknown as string[] }, /"allowedOrigins"/],
    [{ allowedOrigins: ['not an origin'] }, /is not an origin/],
    [{ allowedOrigins: ['null'] }, /is not an origin/],
    [{ allowedOrigins: ['file:///etc'] }, /is not an origin/],
    [{ maxPayLoad: 10 } as unknown as WebSocketOptions, /unknown option "maxPayLoad"/]
  ]
  for (const [options, message] of bad) {
    t.throws(() => new WebSocketUpgrade(() => {}, options), { code: 'FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION', message }, JSON.stringify(options))
  }
  t.throws(() => new WebSocketUpgrade(() => {}, 'x' as unknown as WebSocketOptions), { code: 'FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION' })
  t.throws(() => new WebSocketUpgrade(() => {}, null as unknown as WebSocketOptions), { code: 'FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION' })

  // The same checks apply to the plugin-wide defaults, at registration.
  const app = Fastify()
  t.teardown(() => app.close())
  await t.rejects(async () => { await app.register(relic, { pingInterval: -5 }) }, { code: 'FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION', message: /plugin options/ })
})

t.test('the plugin ignores Fastify\'s own register options (prefix) among its options', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(async (child) => {
    await child.register(relic, { prefix: '/ignored', pingInterval: 1000 } as never)
    child.relic.get('/ws', () => new WebSocketUpgrade((ws) => { ws.sendText(String(ws.pingInterval)) }))
  }, { prefix: '/api' })
  const { ws: base } = await listen(app)
  t.same(await messages(await connect(t, `${base}/api/ws`), 1), ['1000'])
})

t.test('maxPayload: an oversize message closes that connection with 1009, and no other', async (t) => {
  const app = await build(t)
  app.relic.get('/small', () => new WebSocketUpgrade(echo, { maxPayload: 1024 }))
  app.relic.get('/large', () => new WebSocketUpgrade(echo))
  const { ws: base } = await listen(app)
  const small = await connect(t, `${base}/small`)
  const bystander = await connect(t, `${base}/small`)
  const large = await connect(t, `${base}/large`)
  small.send('x'.repeat(1024))
  t.same(await messages(small, 1), ['x'.repeat(1024)], 'exactly maxPayload passes')
  const smallClosed = closed(small)
  small.send('x'.repeat(1025))
  t.equal((await smallClosed).code, 1009)
  large.send('y'.repeat(100_000))
  t.equal((await messages(large, 1))[0]?.length, 100_000, 'another route keeps the default')
  bystander.send('still here')
  t.same(await messages(bystander, 1), ['still here'], 'a connection of the same route is untouched')
})

t.test('maxPayload: the plugin default applies where the route gives none; the route overrides it', async (t) => {
  const app = await build(t, { relic: { maxPayload: 100 } })
  app.relic.get('/default', () => new WebSocketUpgrade(echo))
  app.relic.get('/override', () => new WebSocketUpgrade(echo, { maxPayload: 1000 }))
  const { ws: base } = await listen(app)
  const byDefault = await connect(t, `${base}/default`)
  const overridden = await connect(t, `${base}/override`)
  overridden.send('o'.repeat(500))
  t.equal((await messages(overridden, 1))[0]?.length, 500)
  const done = closed(byDefault)
  byDefault.send('d'.repeat(500))
  t.equal((await done).code, 1009)
})

t.test('maxPayload from the @fastify/websocket options still applies to relic routes', async (t) => {
  const app = await build(t, { relic: { websocket: { options: { maxPayload: 10 } } } })
  app.relic.get('/ws', () => new WebSocketUpgrade(echo))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  const done = closed(client)
  client.send('more than ten bytes')
  t.equal((await done).code, 1009)
})

t.test('compression: permessage-deflate is negotiated only where it is on', async (t) => {
  const app = await build(t)
  app.relic.get('/plain', () => new WebSocketUpgrade(echo))
  app.relic.get('/deflate', () => new WebSocketUpgrade(echo, { compression: true }))
  app.relic.get('/tuned', () => new WebSocketUpgrade(echo, { compression: { threshold: 0, serverNoContextTakeover: true } }))
  const { ws: base } = await listen(app)
  const plain = await handshake(`${base}/plain`, undefined, { perMessageDeflate: true })
  t.equal(plain.headers['sec-websocket-extensions'], undefined)
  const deflate = await handshake(`${base}/deflate`, undefined, { perMessageDeflate: true })
  t.match(deflate.headers['sec-websocket-extensions'], /^permessage-deflate/)
  const tuned = await handshake(`${base}/tuned`, undefined, { perMessageDeflate: true })
  t.match(tuned.headers['sec-websocket-extensions'], /server_no_context_takeover/)
  // A compressed connection still echoes, both ways.
  t.equal(tuned.client.readyState, WebSocket.OPEN)
  tuned.client.send('z'.repeat(10_000))
  const [echoed] = await new Promise<[Buffer]>((resolve) => tuned.client.once('message', (data) => resolve([data as Buffer])))
  t.equal(echoed.toString(), 'z'.repeat(10_000))
  for (const { client } of [plain, deflate, tuned]) client.terminate()
})

t.test('protocols: the route\'s first choice that the client offers is agreed, in ws.protocol', async (t) => {
  const app = await build(t)
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => { ws.sendText(`protocol=${ws.protocol}`) }, { protocols: ['chat.v2', 'chat.v1'] }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`, {}, ['chat.v1', 'chat.v2'])
  t.equal(client.protocol, 'chat.v2')
  t.same(await messages(client, 1), ['protocol=chat.v2'])
  const older = await connect(t, `${base}/ws`, {}, ['chat.v1'])
  t.same(await messages(older, 1), ['protocol=chat.v1'])
})

t.test('protocols: a client offering none of them, or nothing, is refused with 400', async (t) => {
  const app = await build(t)
  app.relic.get('/ws', () => new WebSocketUpgrade(echo, { protocols: ['chat.v1'] }))
  const { ws: base } = await listen(app)
  const other = await handshake(`${base}/ws`, ['mqtt'])
  t.equal(other.status, 400)
  const none = await handshake(`${base}/ws`)
  t.equal(none.status, 400)
  t.equal(JSON.parse(other.body).code, 'FST_ERR_RELIC_NO_SUBPROTOCOL')
  t.match(JSON.parse(other.body).message, /Sec-WebSocket-Protocol: mqtt/)
  t.match(JSON.parse(none.body).message, /\(none\)/)
})

t.test('protocols: a function chooses from the offer; choosing what was not offered is a coded 500', async (t) => {
  const app = await build(t)
  app.relic.get('/ws', (request) => new WebSocketUpgrade((ws) => { ws.sendText(ws.protocol) }, {
    protocols: (offered, req) => {
      t.equal(req, request, 'the function gets the request')
      const wanted = req.query as { pick?: string }
      return wanted.pick === 'none' ? false : wanted.pick ?? offered.at(-1)
    }
  }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`, {}, ['a', 'b', 'c'])
  t.same(await messages(client, 1), ['c'])
  t.equal((await handshake(`${base}/ws?pick=none`, ['a'])).status, 400)
  const wrong = await handshake(`${base}/ws?pick=z`, ['a'])
  t.equal(wrong.status, 500)
  t.equal(JSON.parse(wrong.body).code, 'FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION')
})

t.test('protocols: without the option the client\'s first offer is agreed, as ws does', async (t) => {
  const app = await build(t)
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => { ws.sendText(`protocol=${ws.protocol}`) }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`, {}, ['chat.v1', 'chat.v0'])
  t.same(await messages(client, 1), ['protocol=chat.v1'])
  t.same(await messages(await connect(t, `${base}/ws`), 1), ['protocol='], 'none offered, none agreed')
})

t.test('protocols: without the option a handleProtocols of the user\'s @fastify/websocket still decides', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyWebsocket, { options: { handleProtocols: (offered) => [...offered].includes('legacy') ? 'legacy' : false } })
  await app.register(relic)
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => { ws.sendText(`protocol=${ws.protocol}`) }))
  app.relic.get('/own', () => new WebSocketUpgrade((ws) => { ws.sendText(`protocol=${ws.protocol}`) }, { protocols: ['own'] }))
  const { ws: base } = await listen(app)
  t.same(await messages(await connect(t, `${base}/ws`, {}, ['x', 'legacy']), 1), ['protocol=legacy'])
  t.same(await messages(await connect(t, `${base}/own`, {}, ['legacy', 'own']), 1), ['protocol=own'])
})

t.test('headers: extra headers on the 101, the route\'s over the plugin\'s', async (t) => {
  const app = await build(t, { relic: { headers: { 'x-server': 'relic', 'x-shared': 'plugin' } } })
  app.relic.get('/ws', () => new WebSocketUpgrade(echo, { headers: { 'X-Shared': 'route', 'x-list': ['a', 'b'], 'x-n': 7 } }))
  app.relic.get('/plain', () => new WebSocketUpgrade(echo))
  const { ws: base } = await listen(app)
  const { status, headers, client } = await handshake(`${base}/ws`)
  t.equal(status, 101)
  t.equal(headers['x-server'], 'relic')
  t.equal(headers['x-shared'], 'route')
  t.equal(headers['x-list'], 'a, b')
  t.equal(headers['x-n'], '7')
  const plain = await handshake(`${base}/plain`)
  t.equal(plain.headers['x-shared'], 'plugin')
  client.terminate()
  plain.client.terminate()
})
