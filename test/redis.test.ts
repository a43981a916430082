import t from 'tap'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import Fastify from 'fastify'
import relic, { EventStream } from '../lib/index.js'
import { redis, redisReplayStore } from '../lib/redis.js'
import { topicServer } from './fixtures/topic-server.js'
import { captureLogs, connect, messages, spawnTs, until } from './helper.js'

// A real redis-server (Debian's, which .ci/run installs); without one, this file is skipped.
const HAS_REDIS = spawnSync('redis-server', ['--version']).status === 0

async function freePort (): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

async function startRedis (port: number): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'])
  let output = ''
  server.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  await until(() => output.includes('Ready to accept connections'), 10_000)
  return server
}

async function stopRedis (server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return
  server.kill('SIGKILL')
  await once(server, 'exit')
}

// Instance B in a process of its own; resolves with its port.
async function startInstance (t: { teardown: (fn: () => void) => void }, url: string): Promise<number> {
  const child = spawnTs(t, 'test/fixtures/topic-server.ts', [url])
  const [line] = await once(child.stdout as NodeJS.ReadableStream, 'data') as [Buffer]
  return (JSON.parse(line.toString()) as { port: number }).port
}

t.test('Redis backplane', { skip: HAS_REDIS ? false : 'redis-server is not installed (apt-get install redis-server)' }, async (t) => {
  const redisPort = await freePort()
  let server = await startRedis(redisPort)
  t.teardown(() => stopRedis(server))
  const url = `redis://127.0.0.1:${redisPort}`

  const { logger, lines } = captureLogs()
  const pubsub = redis({ url, redisOptions: { retryStrategy: () => 50 } })
  const a = await topicServer(url, { logger }, pubsub)
  t.teardown(() => a.close())
  await a.listen({ port: 0, host: '127.0.0.1' })
  const aBase = `ws://127.0.0.1:${(a.server.address() as { port: number }).port}`
  const bPort = await startInstance(t, url)
  const bHttp = `http://127.0.0.1:${bPort}`

  const onA = await connect(t, `${aBase}/ws?topics=room`)
  t.same(await messages(onA, 1), ['subscribed'])
  const onB = await connect(t, `ws://127.0.0.1:${bPort}/ws?topics=room`)
  t.same(await messages(onB, 1), ['subscribed'])

  t.test('a client on A gets what is published on B, and by a client on B', async (t) => {
    await fetch(`${bHttp}/publish?topic=room&text=from-b`)
    t.same(await messages(onA, 1), ['from-b'])
    t.same(await messages(onB, 1), ['from-b'])
    onB.send('publish:room:from-client-b')
    t.same(await messages(onA, 1), ['from-client-b'])
    a.relic.publish('room', 'from-a')
    t.same(await messages(onA, 1), ['from-a'], 'once: A delivered its own message, and ignored its echo')
    t.same(await messages(onB, 1), ['from-a'])
    await sleep(50)
    onA.send('publish:room:quiet')
    t.same(await messages(onB, 1), ['quiet'])
    await fetch(`${bHttp}/publish?topic=room&text=last`)
    t.same(await messages(onA, 1), ['last'], 'no echo of from-a, nor of its own quiet, came before')
    await messages(onB, 1)
  })

  t.test('a Redis restart is survived: reconnected, resubscribed, the outage counted', async (t) => {
    // A backplane that may not queue while Redis is away: its publishes fail, and are counted.
    const strict = redis({ url, redisOptions: { enableOfflineQueue: false, retryStrategy: () => 50 } })
    await strict.start(() => {}, a.log)
    t.teardown(() => strict.close())
    await stopRedis(server)
    await sleep(200)
    const message = { binary: false, bytes: Buffer.from('lost'), text: 'lost', event: undefined }
    await t.rejects(Promise.resolve(strict.publish('room', message, 'test')))
    t.equal(strict.stats.failedPublishes, 1)
    server = await startRedis(redisPort)
    // ioredis reconnects and resubscribes by itself; wait until a publish from B gets through.
    let got: string[] = []
    for (let i = 0; got.length === 0 && i < 100; i++) {
      await fetch(`${bHttp}/publish?topic=room&text=after-${i}`)
      got = await Promise.race([messages(onA, 1), sleep(100).then(() => [])])
    }
    t.match(got[0], /^after-\d+$/, 'A gets B\'s messages again')
    t.equal(pubsub.stats.outages, 1, 'the outage is counted')
    t.ok(lines.some((line) => line.level === 40 && /connection lost/.test(line.msg)), 'and logged at warn')
    t.ok(lines.some((line) => line.level === 30 && /back/.test(line.msg)), 'as is the recovery')
  })

  t.test('only one Redis subscription per topic per instance', async (t) => {
    const more = await Promise.all([1, 2, 3].map(() => connect(t, `${aBase}/ws?topics=room`)))
    for (const client of more) await messages(client, 1)
    const probe = spawnSync('redis-cli', ['-p', String(redisPort), 'pubsub', 'numsub', 'relic:room'])
    const [, count] = probe.stdout.toString().trim().split('\n')
    t.equal(Number(count), 2, 'A and B: two subscriptions, for five sockets')
  })
})

t.test('messages that are not fastify-relic\'s are counted and ignored', { skip: HAS_REDIS ? false : 'redis-server is not installed' }, async (t) => {
  const port = await freePort()
  const server = await startRedis(port)
  t.teardown(() => stopRedis(server))
  const client = new Redis(port, '127.0.0.1')
  t.teardown(() => client.disconnect())
  const pubsub = redis({ client, prefix: 'test:' })
  const delivered: string[] = []
  await pubsub.start((topic, message) => { delivered.push(`${topic}=${message.text ?? ''}`) }, { warn () {}, info () {} } as never)
  t.teardown(() => pubsub.close())
  await pubsub.subscribe('t')
  await client.publish('test:t', 'not json')
  await client.publish('test:t', '[1, 0, null, "an origin that is not a string"]')
  await client.publish('test:t', '{"not":"an array"}')
  await client.publish('test:t', '["origin", 0, 5, "event is not a string"]')
  await client.publish('test:t', '["origin", 0, "a\\nb", "an event that would break an event stream"]')
  await pubsub.publish('t', { binary: true, bytes: Buffer.from('hi'), text: undefined, event: 'e' }, 'other')
  await pubsub.publish('t', { binary: true, bytes: Buffer.from('ho'), text: undefined, event: undefined }, 'other')
  await until(() => delivered.length === 2)
  t.same(delivered, ['t=', 't='], 'the binary messages, whose text is undefined')
  t.equal(pubsub.stats.malformed, 5)
  await pubsub.unsubscribe('t')
  await pubsub.close()
  await sleep(50)
  t.equal(pubsub.stats.outages, 0, 'a clean close is no outage')
})

t.test('a Redis stream replay store: a client that reconnects to another instance catches up', { skip: HAS_REDIS ? false : 'redis-server is not installed' }, async (t) => {
  const port = await freePort()
  const server = await startRedis(port)
  t.teardown(() => stopRedis(server))
  const url = `redis://127.0.0.1:${port}`
  const instances = await Promise.all(['a', 'b'].map(async () => {
    const store = redisReplayStore({ url, key: 'feed', size: 3 })
    const app = Fastify()
    t.teardown(async () => { await app.close(); store.close() })
    await app.register(relic)
    app.relic.get('/feed', () => new EventStream(async (events) => {
      if (events.lastEventId !== undefined) return
      for (const id of ['1', '2', '3', '4']) await events.send({ id, data: `event ${id}`, event: id === '4' ? 'last' : undefined })
    }, { replay: store }))
    return { app, store, http: await app.listen({ port: 0, host: '127.0.0.1' }) }
  }))
  const [a, b] = instances as [typeof instances[0], typeof instances[0]]
  t.equal(await (await fetch(`${a.http}/feed`)).text(), [1, 2, 3].map((i) => `id: ${i}\ndata: event ${i}\n\n`).join('') + 'event: last\nid: 4\ndata: event 4\n\n')
  // B sends the same events: stored once.
  await (await fetch(`${b.http}/feed`)).text()
  const caughtUp = await (await fetch(`${b.http}/feed`, { headers: { 'last-event-id': '2' } })).text()
  t.equal(caughtUp, 'id: 3\ndata: event 3\n\nevent: last\nid: 4\ndata: event 4\n\n', 'B replays what A sent after 2')
  t.same((await a.store.since('1')).map((event) => event.id), ['2', '3', '4'], 'the last 3 kept, each once; 1 trimmed')
  t.same((await a.store.since('gone')).map((event) => event.id), ['2', '3', '4'], 'an unknown id: everything kept')
  t.throws(() => redisReplayStore({ url, key: '' }), { code: 'FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION' })
  t.throws(() => redisReplayStore({ key: 'k' }), { code: 'FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION' })
  t.throws(() => redisReplayStore(null as never), { code: 'FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION' })
  t.throws(() => redisReplayStore({ url, key: 'k', size: 0 }), { code: 'FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION' })
  const client = new Redis(port, '127.0.0.1')
  const shared = redisReplayStore({ client, key: 'other' })
  await shared.append({ id: 'x', data: 'y' })
  await shared.append({ id: 'x', data: 'y' })
  t.same(await shared.since('none'), [{ id: 'x', data: 'y' }])
  shared.close()
  t.equal(client.status, 'ready', 'a client given is not closed')
  client.disconnect()
})

t.test('example/chat.ts: one room across two processes on Redis', { skip: HAS_REDIS ? false : 'redis-server is not installed' }, async (t) => {
  const port = await freePort()
  const server = await startRedis(port)
  t.teardown(() => stopRedis(server))
  const start = async (): Promise<string> => {
    const child = spawnTs(t, 'example/chat.ts', [], { REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0' })
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
    await until(() => /fastify-relic chat on (\S+)/.test(output), 10_000)
    return (/fastify-relic chat on (\S+)/.exec(output) as RegExpExecArray)[1] as string
  }
  const [first, second] = await Promise.all([start(), start()])
  const alice = await connect(t, `${(first as string).replace('http', 'ws')}/chat`)
  const bob = await connect(t, `${(second as string).replace('http', 'ws')}/chat`)
  await sleep(200)
  alice.send(JSON.stringify({ name: 'alice', text: 'hello from the first process' }))
  t.same(await messages(bob, 1), ['{"name":"alice","text":"hello from the first process"}'])
  bob.send(JSON.stringify({ name: 'bob', text: 'and back' }))
  t.same(await messages(alice, 1), ['{"name":"bob","text":"and back"}'])
  const page = await (await fetch(first as string)).text()
  t.match(page, /<title>fastify-relic chat<\/title>/)
})

t.test('redis() checks its options', async (t) => {
  t.throws(() => redis({}), { code: 'FST_ERR_RELIC_INVALID_OPTIONS' })
  t.throws(() => redis(null as never), { code: 'FST_ERR_RELIC_INVALID_OPTIONS' })
})
