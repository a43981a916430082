import t from 'tap'
import { get } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify from 'fastify'
import type WebSocket from 'ws'
import relic, {
  EventStream, WebSocketUpgrade, type DeliverFunction, type PubSub, type RelicWebSocket, type ServerSentEvents
} from '../lib/index.js'
import { build, captureLogs, closed, connect, listen, messages, until } from './helper.js'

// A route whose sockets subscribe to the topics in ?topics=a,b, then echo "publish:<topic>:<text>"
// messages with ws.publish, and report what they got.
async function topicApp (t: Parameters<typeof build>[0], relicOptions = {}): Promise<{ app: Awaited<ReturnType<typeof build>>, base: string, sockets: RelicWebSocket[] }> {
  const { logger } = captureLogs()
  const app = await build(t, { relic: relicOptions, fastify: { logger } })
  const sockets: RelicWebSocket[] = []
  app.relic.get('/ws', (request) => new WebSocketUpgrade(async (ws) => {
    sockets.push(ws)
    for (const topic of String((request.query as { topics?: string }).topics ?? '').split(',')) if (topic !== '') ws.subscribe(topic)
    for await (const event of ws.events) {
      if (event.type !== 'text') continue
      const [command, topic, text] = event.text.split(':')
      if (command === 'publish') ws.publish(topic as string, text)
      else if (command === 'unsubscribe') ws.unsubscribe(topic as string)
    }
  }))
  const { ws: base } = await listen(app)
  return { app, base, sockets }
}

t.test('1,000 subscribers of one topic each get every message, in order', async (t) => {
  const { app, base } = await topicApp(t)
  const clients: WebSocket[] = []
  for (let batch = 0; batch < 10; batch++) {
    clients.push(...await Promise.all(Array.from({ length: 100 }, () => connect(t, `${base}/ws?topics=news`))))
  }
  await until(() => app.relic.subscribers('news') === 1000)
  for (let i = 0; i < 10; i++) app.relic.publish('news', `headline ${i}`)
  const expected = Array.from({ length: 10 }, (_, i) => `headline ${i}`)
  const received = await Promise.all(clients.map((client) => messages(client, 10)))
  t.ok(received.every((got) => got.join() === expected.join()), 'all 1,000 got the 10 messages in order')
  t.equal(app.relic.subscribers('elsewhere'), 0)
})

t.test('text, bytes and JSON values arrive as text, binary and JSON text', async (t) => {
  const { app, base } = await topicApp(t)
  const client = await connect(t, `${base}/ws?topics=kinds`)
  await until(() => app.relic.subscribers('kinds') === 1)
  const frames: Array<{ binary: boolean, text: string }> = []
  client.on('message', (data: Buffer, binary: boolean) => { frames.push({ binary, text: data.toString() }) })
  app.relic.publish('kinds', 'plain')
  app.relic.publish('kinds', new Uint8Array([104, 105]))
  app.relic.publish('kinds', { n: 1 })
  await until(() => frames.length === 3)
  t.same(frames, [{ binary: false, text: 'plain' }, { binary: true, text: 'hi' }, { binary: false, text: '{"n":1}' }])
})

t.test('ws.publish skips the publisher; except does the same for app.relic.publish', async (t) => {
  const { app, base, sockets } = await topicApp(t)
  const a = await connect(t, `${base}/ws?topics=room`)
  const b = await connect(t, `${base}/ws?topics=room`)
  await until(() => app.relic.subscribers('room') === 2)
  a.send('publish:room:from a')
  t.same(await messages(b, 1), ['from a'])
  app.relic.publish('room', 'not to b', { except: sockets[1] })
  app.relic.publish('room', 'to both')
  t.same(await messages(a, 2), ['not to b', 'to both'], 'a never got its own message')
  t.same(await messages(b, 1), ['to both'])
})

t.test('unsubscribe and close stop delivery; ws.topics lists the subscriptions', async (t) => {
  const { app, base, sockets } = await topicApp(t)
  const client = await connect(t, `${base}/ws?topics=x,y`)
  await until(() => sockets.length === 1)
  const ws = sockets[0] as RelicWebSocket
  t.same([...ws.topics], ['x', 'y'])
  client.send('unsubscribe:x')
  await until(() => app.relic.subscribers('x') === 0)
  t.same([...ws.topics], ['y'])
  app.relic.publish('x', 'dropped')
  app.relic.publish('y', 'kept')
  t.same(await messages(client, 1), ['kept'])
  ws.unsubscribe('never-subscribed')
  client.close()
  await until(() => app.relic.subscribers('y') === 0)
  t.same([...ws.topics], [], 'all gone on close')
  ws.subscribe('z')
  t.equal(app.relic.subscribers('z'), 0, 'a closed socket does not subscribe')
  app.relic.publish('y', 'to nobody')
})

t.test('a stalled subscriber is closed with 1008 past the limit, and does not delay the others', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { relic: { topicBufferLimit: 256 * 1024 }, fastify: { logger } })
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => { ws.subscribe('firehose') }))
  const { ws: base } = await listen(app)
  const stalled = await connect(t, `${base}/ws`)
  const healthy = await connect(t, `${base}/ws`)
  await until(() => app.relic.subscribers('firehose') === 2)
  // The stalled client reads nothing: its bytes pile up on the server.
  stalled.pause()
  const stalledClosed = closed(stalled)
  let received = 0
  healthy.on('message', () => { received++ })
  const chunk = 'x'.repeat(16 * 1024)
  // 16 MB: more than the kernel's socket buffers take before the server's own begin to fill.
  for (let i = 0; i < 1000; i++) {
    app.relic.publish('firehose', chunk)
    if (i % 20 === 0) await sleep(1)
  }
  await until(() => received === 1000, 10_000)
  t.pass('the healthy subscriber got all 1,000 messages')
  stalled.resume()
  t.equal((await stalledClosed).code, 1008)
  await until(() => app.relic.subscribers('firehose') === 1)
  t.ok(lines.some((line) => line.level === 40 && /too slow/.test(line.msg)), 'logged at warn')
})

t.test('event streams subscribe too; they get the text, with the event type', async (t) => {
  const app = await build(t)
  let server: ServerSentEvents | undefined
  app.relic.get('/events', () => new EventStream(async (events) => {
    server = events
    t.equal(events.topics.size, 0, 'none before the first subscribe')
    events.subscribe('ticks')
    await events.done
  }))
  const { http } = await listen(app)
  let text = ''
  const request = get(`${http}/events`, (response) => {
    response.setEncoding('utf8')
    response.on('data', (chunk: string) => { text += chunk })
  })
  request.on('error', () => {})
  t.teardown(() => request.destroy())
  await until(() => app.relic.subscribers('ticks') === 1)
  t.same([...(server as ServerSentEvents).topics], ['ticks'])
  app.relic.publish('ticks', 'one')
  app.relic.publish('ticks', { n: 2 }, { event: 'json' })
  app.relic.publish('ticks', new Uint8Array([104, 105]))
  await until(() => text.split('\n\n').length === 4)
  t.equal(text, 'data: one\n\nevent: json\ndata: {"n":2}\n\ndata: hi\n\n')
  server?.unsubscribe('ticks')
  server?.unsubscribe('ticks')
  t.equal(app.relic.subscribers('ticks'), 0)
  server?.subscribe('again')
  request.destroy()
  await until(() => app.relic.subscribers('again') === 0)
  server?.subscribe('after-end')
  t.equal(app.relic.subscribers('after-end'), 0)
})

t.test('a stalled event stream is ended past the limit', async (t) => {
  const app = await build(t, { relic: { topicBufferLimit: 128 * 1024 } })
  let server: ServerSentEvents | undefined
  app.relic.get('/events', () => new EventStream(async (events) => {
    server = events
    events.subscribe('flood')
    await events.done
  }))
  const { http } = await listen(app)
  const request = get(`${http}/events`, (response) => { response.pause() })
  request.on('error', () => {})
  t.teardown(() => request.destroy())
  await until(() => app.relic.subscribers('flood') === 1)
  for (let i = 0; i < 4000 && server?.closed !== true; i++) {
    app.relic.publish('flood', 'y'.repeat(8 * 1024))
    await sleep(0)
  }
  t.ok(server?.closed, 'ended')
  t.equal(app.relic.subscribers('flood'), 0)
})

t.test('bad topics, data and options are coded errors', async (t) => {
  const app = await build(t)
  const code = { code: 'FST_ERR_RELIC_INVALID_TOPIC' }
  t.throws(() => app.relic.publish('', 'x'), code)
  t.throws(() => app.relic.publish(5 as unknown as string, 'x'), code)
  t.throws(() => app.relic.publish('t', undefined), code)
  t.throws(() => app.relic.publish('t', () => {}), code)
  t.throws(() => app.relic.publish('t', 'x', { event: 'a\nb' }), code)
  const options = { code: 'FST_ERR_RELIC_INVALID_OPTIONS' }
  for (const bad of [{ pubsub: {} }, { pubsub: null }, { topicBufferLimit: 0 }]) {
    const other = Fastify()
    await t.rejects(async () => { await other.register(relic, bad as never) }, options, JSON.stringify(bad))
  }
})

t.test('a backplane: messages from other instances are delivered; its failures are logged, never thrown', async (t) => {
  const { logger, lines } = captureLogs()
  let deliver: DeliverFunction = () => {}
  const calls: string[] = []
  const backplane: PubSub = {
    start (fn) { deliver = fn },
    publish (topic) {
      calls.push(`publish ${topic}`)
      if (topic === 'sync-fail') throw new Error('backplane down')
      return topic === 'async-fail' ? Promise.reject(new Error('backplane down')) : undefined
    },
    subscribe (topic) { calls.push(`subscribe ${topic}`); return Promise.reject(new Error('backplane down')) },
    unsubscribe (topic) { calls.push(`unsubscribe ${topic}`) },
    close () { calls.push('close') }
  }
  const app = Fastify({ logger })
  await app.register(relic, { pubsub: backplane })
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => { ws.subscribe('remote') }))
  app.relic.get('/events', () => new EventStream(async (events) => {
    events.subscribe('remote')
    await events.done
  }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  await until(() => app.relic.subscribers('remote') === 1)
  deliver('remote', { binary: false, bytes: Buffer.from('from afar'), text: 'from afar', event: undefined }, 'another-instance')
  t.same(await messages(client, 1), ['from afar'])
  // A subscriber that throws on a message (an event stream given an event type it cannot write)
  // does not cost the others theirs, nor throw into the backplane.
  const request = get(`${base.replace('ws', 'http')}/events`)
  request.on('error', () => {})
  t.teardown(() => request.destroy())
  await until(() => app.relic.subscribers('remote') === 2)
  t.doesNotThrow(() => deliver('remote', { binary: false, bytes: Buffer.from('odd'), text: 'odd', event: 'a\nb' }, 'another-instance'))
  t.same(await messages(client, 1), ['odd'])
  t.ok(lines.some((line) => /Invalid server-sent event/.test(line.err?.message ?? '')), 'the failure is logged')
  request.destroy()
  await until(() => app.relic.subscribers('remote') === 1)
  app.relic.publish('sync-fail', 'x')
  app.relic.publish('async-fail', 'x')
  app.relic.publish('fine', 'x')
  await until(() => lines.filter((line) => line.err?.message === 'backplane down').length === 3)
  client.close()
  await until(() => app.relic.subscribers('remote') === 0)
  await app.close()
  t.same(calls, ['subscribe remote', 'publish sync-fail', 'publish async-fail', 'publish fine', 'unsubscribe remote', 'close'])
})
