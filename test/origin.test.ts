import t from 'tap'
import WebSocket from 'ws'
import { WebSocketUpgrade, type FastifyRelicOptions, type WebSocketOptions } from '../lib/index.js'
import { build, captureLogs, listen } from './helper.js'

// The status a handshake with these headers gets: 101, or the refusal's.
async function statusFor (url: string, headers: Record<string, string>): Promise<number> {
  const client = new WebSocket(url, { headers })
  client.on('error', () => {})
  return await new Promise((resolve) => {
    client.once('open', () => { client.terminate(); resolve(101) })
    client.once('unexpected-response', (_request, response) => { client.terminate(); resolve(response.statusCode as number) })
  })
}

// An app whose /ws route upgrades with `route` options, under `plugin` options.
async function serve (t: Parameters<typeof build>[0], route?: WebSocketOptions, plugin?: FastifyRelicOptions, trustProxy = false): Promise<{ url: string, host: string }> {
  const app = await build(t, { relic: plugin, fastify: { trustProxy } })
  app.relic.get('/ws', () => new WebSocketUpgrade(() => {}, route))
  const { ws, port } = await listen(app)
  return { url: `${ws}/ws`, host: `127.0.0.1:${port}` }
}

t.test('by default a page of the same host may connect, and a client without Origin', async (t) => {
  const { url, host } = await serve(t)
  t.equal(await statusFor(url, { origin: `http://${host}` }), 101, 'same host and port')
  t.equal(await statusFor(url, { origin: `HTTPS://${host.toUpperCase()}` }), 101, 'case and scheme do not matter')
  t.equal(await statusFor(url, {}), 101, 'no Origin: not a browser')
})

t.test('by default a page of another host is refused with 403 before the handshake', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  let upgraded = false
  app.relic.get('/ws', () => new WebSocketUpgrade(() => { upgraded = true }))
  const { ws, port } = await listen(app)
  t.equal(await statusFor(`${ws}/ws`, { origin: 'https://evil.example' }), 403)
  t.equal(await statusFor(`${ws}/ws`, { origin: `http://127.0.0.1:${port + 1}` }), 403, 'another port is another origin')
  t.equal(await statusFor(`${ws}/ws`, { origin: 'null' }), 403, 'an opaque origin')
  t.equal(await statusFor(`${ws}/ws`, { origin: 'garbage' }), 403)
  t.notOk(upgraded, 'the callback never ran')
  t.ok(lines.some((line) => (line.err as { code?: string } | undefined)?.code === 'FST_ERR_RELIC_ORIGIN_FORBIDDEN'))
})

t.test('the default port of the scheme is implied on either side', async (t) => {
  const app = await build(t)
  app.relic.get('/ws', () => new WebSocketUpgrade(() => {}))
  const { ws } = await listen(app)
  t.equal(await statusFor(`${ws}/ws`, { origin: 'http://example.com', host: 'example.com:80' }), 101)
  t.equal(await statusFor(`${ws}/ws`, { origin: 'https://example.com:443', host: 'example.com' }), 101)
  t.equal(await statusFor(`${ws}/ws`, { origin: 'https://example.com', host: 'example.com:80' }), 403)
})

t.test('behind a trusted proxy the forwarded host counts', async (t) => {
  const { url } = await serve(t, undefined, undefined, true)
  t.equal(await statusFor(url, { origin: 'https://app.example', 'x-forwarded-host': 'app.example' }), 101)
  t.equal(await statusFor(url, { origin: 'https://evil.example', 'x-forwarded-host': 'app.example' }), 403)
})

t.test('allowedOrigins lists the origins that may connect, and replaces the same-host rule', async (t) => {
  const { url, host } = await serve(t, { allowedOrigins: ['https://app.example', 'HTTP://Other.Example:8080/'] })
  t.equal(await statusFor(url, { origin: 'https://app.example' }), 101)
  t.equal(await statusFor(url, { origin: 'http://other.example:8080' }), 101, 'compared as origins')
  t.equal(await statusFor(url, { origin: 'https://app.example.evil' }), 403)
  t.equal(await statusFor(url, { origin: 'garbage' }), 403)
  t.equal(await statusFor(url, { origin: `http://${host}` }), 403, 'the own host is not listed')
  t.equal(await statusFor(url, {}), 101, 'no Origin still passes')
})

t.test('allowedOrigins as a function decides with the request', async (t) => {
  const seen: string[] = []
  const { url } = await serve(t, {
    allowedOrigins: (origin, request) => {
      seen.push(`${origin} ${request.url}`)
      return origin.endsWith('.trusted.example')
    }
  })
  t.equal(await statusFor(url, { origin: 'https://a.trusted.example' }), 101)
  t.equal(await statusFor(url, { origin: 'https://untrusted.example' }), 403)
  t.same(seen, ['https://a.trusted.example /ws', 'https://untrusted.example /ws'])
})

t.test('allowAnyOrigin accepts every origin; a route can restore the check', async (t) => {
  const app = await build(t, { relic: { allowAnyOrigin: true } })
  app.relic.get('/open', () => new WebSocketUpgrade(() => {}))
  app.relic.get('/strict', () => new WebSocketUpgrade(() => {}, { allowAnyOrigin: false }))
  app.relic.get('/listed', () => new WebSocketUpgrade(() => {}, { allowedOrigins: ['https://a.example'] }))
  const { ws } = await listen(app)
  t.equal(await statusFor(`${ws}/open`, { origin: 'https://anyone.example' }), 101)
  t.equal(await statusFor(`${ws}/strict`, { origin: 'https://anyone.example' }), 403)
  t.equal(await statusFor(`${ws}/listed`, { origin: 'https://a.example' }), 101)
  t.equal(await statusFor(`${ws}/listed`, { origin: 'https://anyone.example' }), 403)
})

t.test('plugin-wide allowedOrigins apply to routes that give none', async (t) => {
  const { url } = await serve(t, undefined, { allowedOrigins: ['https://app.example'] })
  t.equal(await statusFor(url, { origin: 'https://app.example' }), 101)
  t.equal(await statusFor(url, { origin: 'https://evil.example' }), 403)
})
