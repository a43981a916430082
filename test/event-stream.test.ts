import t from 'tap'
import { execFile } from 'node:child_process'
import { get } from 'node:http'
import { connect as connectHttp2 } from 'node:http2'
import { connect as netConnect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { EventSource } from 'eventsource'
import Fastify from 'fastify'
import relic, { EventStream, MemoryReplayStore, type ServerSentEvents, type StoredEvent } from '../lib/index.js'
import { build, captureLogs, listen, until } from './helper.js'

// Reads a stream with node:http until `enough(text)` holds, then leaves; returns the text so far.
// (A fetch whose body is cancelled keeps its connection, and with it the response, open.)
function readUntil (url: string, enough: (text: string) => boolean, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        text += chunk
        if (enough(text)) {
          response.destroy()
          resolve(text)
        }
      })
      response.on('end', () => resolve(text))
    }).on('error', reject)
  })
}

t.test('an EventStream answers text/event-stream through Fastify: hooks\' headers, the request log', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  app.addHook('onRequest', async (_request, reply) => { reply.header('access-control-allow-origin', '*') })
  app.relic.get('/events', () => new EventStream(async (events) => {
    await events.send({ data: 'hello' })
  }))
  const { http } = await listen(app)
  const response = await fetch(`${http}/events`)
  t.equal(response.status, 200)
  t.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  t.equal(response.headers.get('cache-control'), 'no-cache')
  t.equal(response.headers.get('x-accel-buffering'), 'no')
  t.equal(response.headers.get('access-control-allow-origin'), '*')
  t.equal(response.headers.get('content-encoding'), null)
  t.equal(await response.text(), 'data: hello\n\n', 'the stream ends when the callback returns')
  await until(() => lines.some((line) => line.msg === 'request completed'))
})

t.test('send writes every field; multi-line data becomes several data lines; values go as JSON', async (t) => {
  const app = await build(t)
  app.relic.get('/events', () => new EventStream(async (events) => {
    await events.send({ data: 'one\ntwo\r\nthree\rfour' })
    await events.send({ data: { n: 1, list: ['a'] }, event: 'update', id: '42', retry: 3000 })
    await events.send({ data: 7 })
    await events.send({ data: '' })
    await events.comment('keep\nalive')
    await events.comment('')
  }))
  const { http } = await listen(app)
  t.equal(await (await fetch(`${http}/events`)).text(),
    'data: one\ndata: two\ndata: three\ndata: four\n\n' +
    'event: update\nid: 42\nretry: 3000\ndata: {"n":1,"list":["a"]}\n\n' +
    'data: 7\n\n' +
    'data: \n\n' +
    ': keep\n: alive\n\n' +
    ':\n\n')
})

t.test('a field that could break the format is a coded TypeError, and nothing is sent', async (t) => {
  const app = await build(t)
  const codes: string[] = []
  const attempt = (fn: () => unknown): void => {
    try {
      fn()
    } catch (error) {
      if (error instanceof TypeError) codes.push((error as unknown as { code: string }).code)
    }
  }
  app.relic.get('/events', () => new EventStream(async (events) => {
    attempt(() => events.send({ data: 'x', event: 'a\nb' }))
    attempt(() => events.send({ data: 'x', event: 5 as unknown as string }))
    attempt(() => events.send({ data: 'x', id: '1\r2' }))
    attempt(() => events.send({ data: 'x', id: 'nul\0' }))
    attempt(() => events.send({ data: 'x', retry: -1 }))
    attempt(() => events.send({ data: 'x', retry: 1.5 }))
    attempt(() => events.send({ data: undefined }))
    attempt(() => events.send({ data: () => {} }))
    attempt(() => events.send(null as unknown as { data: string }))
    attempt(() => events.comment(3 as unknown as string))
    await events.send({ data: 'only this' })
  }))
  const { http } = await listen(app)
  t.equal(await (await fetch(`${http}/events`)).text(), 'data: only this\n\n')
  t.same(codes, Array(10).fill('FST_ERR_RELIC_INVALID_SSE_EVENT'))
})

t.test('the eventsource client reconnects with Last-Event-ID and gets the missed events first', async (t) => {
  const app = await build(t)
  const feed = new MemoryReplayStore({ size: 10 })
  const seenIds: Array<string | undefined> = []
  app.relic.get('/feed', () => new EventStream(async (events) => {
    seenIds.push(events.lastEventId)
    if (events.lastEventId === undefined) {
      for (const id of ['1', '2', '3']) await events.send({ data: `event ${id}`, id, retry: 20 })
      // Sent to the feed while this client is away.
      feed.append({ id: '4', data: 'event 4' })
      feed.append({ id: '5', data: 'event 5', event: 'special' })
      return
    }
    await events.send({ data: 'event 6', id: '6' })
    await events.done
  }, { replay: feed }))
  const { http } = await listen(app)
  const source = new EventSource(`${http}/feed`)
  t.teardown(() => source.close())
  const received: string[] = []
  source.onmessage = (event) => { received.push(`${event.lastEventId}:${event.data}`) }
  source.addEventListener('special', (event) => { received.push(`special ${event.lastEventId}:${event.data}`) })
  await until(() => received.length === 6, 5000)
  t.same(received, ['1:event 1', '2:event 2', '3:event 3', '4:event 4', 'special 5:event 5', '6:event 6'])
  t.same(seenIds, [undefined, '3'])
})

t.test('fetch streams events as they are sent; the replay skips what the client has', async (t) => {
  const app = await build(t)
  const feed = new MemoryReplayStore()
  app.relic.get('/live', () => new EventStream(async (events) => {
    for (let i = 1; i <= 3; i++) {
      await events.send({ data: `tick ${i}`, id: String(i) })
      await sleep(30)
    }
  }, { replay: feed }))
  const { http } = await listen(app)
  const reader = ((await fetch(`${http}/live`)).body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  const first = await reader.read()
  t.equal(decoder.decode(first.value), 'id: 1\ndata: tick 1\n\n', 'the first event arrives before the others are sent')
  let rest = ''
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value)
  t.equal(rest, 'id: 2\ndata: tick 2\n\nid: 3\ndata: tick 3\n\n')
  const again = await readUntil(`${http}/live`, (text) => text.includes('tick 1'), { 'last-event-id': '2' })
  t.match(again, /^id: 3\ndata: tick 3\n\nid: 1\ndata: tick 1\n\n/, 'replayed 3, then live from 1')
})

t.test('curl -N reads the stream', async (t) => {
  const app = await build(t)
  app.relic.get('/events', () => new EventStream(async (events) => {
    await events.send({ data: 'for curl' })
    await events.done
  }))
  const { http } = await listen(app)
  const output = await new Promise<string>((resolve) => {
    execFile('curl', ['-sN', '--max-time', '0.5', `${http}/events`], (_error, stdout) => resolve(stdout))
  })
  t.equal(output, 'data: for curl\n\n')
})

t.test('heartbeat comments keep a quiet stream alive; null turns them off', async (t) => {
  const app = await build(t)
  app.relic.get('/beat', () => new EventStream(async (events) => { await events.done }, { heartbeat: 30 }))
  app.relic.get('/quiet', () => new EventStream(async (events) => {
    await sleep(100)
    await events.send({ data: 'end' })
  }, { heartbeat: null }))
  const { http } = await listen(app)
  const beats = await readUntil(`${http}/beat`, (text) => text.split(':\n\n').length > 3)
  t.match(beats, /^(:\n\n)+$/)
  t.equal(await (await fetch(`${http}/quiet`)).text(), 'data: end\n\n')
})

t.test('a client that leaves: done resolves, the signal aborts, send returns false', async (t) => {
  const app = await build(t)
  let server: ServerSentEvents | undefined
  app.relic.get('/events', () => new EventStream(async (events) => {
    server = events
    await events.send({ data: 'hi' })
    await events.done
  }))
  const { http } = await listen(app)
  const request = get(`${http}/events`)
  // Destroyed on purpose below: its 'socket hang up' is expected.
  request.on('error', () => {})
  await until(() => server !== undefined)
  t.equal(app.relic.connections, 1, 'counted while open')
  const events = server as ServerSentEvents
  t.notOk(events.closed)
  request.destroy()
  await events.done
  t.ok(events.signal.aborted)
  t.ok(events.closed)
  t.equal(await events.send({ data: 'too late' }), false)
  t.equal(await events.comment('too late'), false)
  await until(() => app.relic.connections === 0)
})

t.test('a callback that throws is logged with the request id; the stream ends, the server lives', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  app.relic.get('/bug', () => new EventStream(async (events) => {
    await events.send({ data: 'before' })
    throw new Error('stream bug')
  }))
  const { http } = await listen(app)
  t.equal(await (await fetch(`${http}/bug`)).text(), 'data: before\n\n')
  const line = lines.find((l) => l.err?.message === 'stream bug')
  t.equal(line?.level, 50)
  t.match(line?.reqId, /^req-/)
  t.equal((await fetch(`${http}/bug`)).status, 200, 'still serving')
})

t.test('app.close() ends every stream cleanly: done resolves, clients see the end', async (t) => {
  const app = await build(t)
  const done: Array<Promise<void>> = []
  app.relic.get('/events', () => new EventStream(async (events) => {
    done.push(events.done)
    await events.send({ data: 'open' })
    await events.done
  }))
  const { http } = await listen(app)
  const responses = await Promise.all([1, 2, 3].map(() => fetch(`${http}/events`)))
  await until(() => done.length === 3)
  const bodies = Promise.all(responses.map((response) => response.text()))
  const start = Date.now()
  await app.close()
  t.ok(Date.now() - start < 2000, 'close() did not wait for the grace period')
  await Promise.all(done)
  t.same(await bodies, ['data: open\n\n', 'data: open\n\n', 'data: open\n\n'])
})

t.test('sends wait while the client does not read: the stream holds a bounded amount', async (t) => {
  const app = await build(t)
  let sent = 0
  app.relic.get('/flood', () => new EventStream(async (events) => {
    const data = 'x'.repeat(1000)
    while (await events.send({ data })) sent++
  }))
  const { port } = await listen(app)
  const socket = netConnect(port, '127.0.0.1', () => socket.write('GET /flood HTTP/1.1\r\nHost: x\r\n\r\n'))
  socket.pause()
  t.teardown(() => socket.destroy())
  await until(() => sent > 0)
  await sleep(200)
  const held = sent
  await sleep(100)
  t.equal(sent, held, 'the sender waits')
  t.ok(held < 20_000, `${held} KB sent into a socket nobody reads: kernel buffers plus 64 KiB`)
  socket.resume()
  await until(() => sent > held + 1000)
  t.pass('and goes on once the client reads')
})

t.test('HEAD gets the head only; the callback does not run', async (t) => {
  const app = await build(t)
  let ran = false
  app.relic.get('/events', () => new EventStream(() => { ran = true }))
  const { http } = await listen(app)
  const response = await fetch(`${http}/events`, { method: 'HEAD' })
  t.equal(response.status, 200)
  t.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  t.notOk(ran)
})

t.test('options and the store are checked with coded errors', async (t) => {
  const invalid = { code: 'FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION' }
  t.throws(() => new EventStream('x' as never), { code: 'FST_ERR_RELIC_INVALID_CALLBACK' })
  t.throws(() => new EventStream(() => {}, null as never), invalid)
  t.throws(() => new EventStream(() => {}, { heartbeat: 0 }), invalid)
  t.throws(() => new EventStream(() => {}, { heartbeat: Infinity }), invalid)
  t.throws(() => new EventStream(() => {}, { heartbeat: 2 ** 31 }), invalid, 'Node would fire it after 1 ms')
  t.throws(() => new EventStream(() => {}, { replay: {} as never }), invalid)
  t.throws(() => new MemoryReplayStore({ size: 0 }), invalid)
})

t.test('MemoryReplayStore keeps the last events in a ring, once per id', async (t) => {
  const store = new MemoryReplayStore({ size: 3 })
  const event = (id: string): StoredEvent => ({ id, data: `d${id}` })
  t.same(store.since('x'), [])
  for (const id of ['1', '2', '2', '3', '4']) store.append(event(id))
  t.same(store.since('2').map((e) => e.id), ['3', '4'])
  t.same(store.since('4'), [])
  t.same(store.since('1').map((e) => e.id), ['2', '3', '4'], 'an id evicted: all it holds')
  store.append(event('2'))
  t.same(store.since('gone').map((e) => e.id), ['2', '3', '4'], 'an evicted id may come again')
})

t.test('an async store works; one that fails is logged and the live stream goes on', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  const kept: StoredEvent[] = [{ id: 'a', data: 'from the store' }]
  const asyncStore = {
    append: async (stored: StoredEvent) => { kept.push(stored) },
    since: async function * () { yield * kept }
  }
  const failing = {
    append: (stored: StoredEvent) => { if (stored.id === 'sync') throw new Error('store down'); return Promise.reject(new Error('store down')) },
    since: () => []
  }
  app.relic.get('/async', () => new EventStream(async (events) => { await events.send({ data: 'live', id: 'b', event: 'kind' }) }, { replay: asyncStore }))
  app.relic.get('/failing', () => new EventStream(async (events) => {
    await events.send({ data: 'one', id: 'sync' })
    await events.send({ data: 'two', id: 'async' })
  }, { replay: failing }))
  const { http } = await listen(app)
  t.equal(await (await fetch(`${http}/async`, { headers: { 'last-event-id': 'a' } })).text(),
    'id: a\ndata: from the store\n\nevent: kind\nid: b\ndata: live\n\n')
  t.same(kept, [{ id: 'a', data: 'from the store' }, { id: 'b', data: 'live', event: 'kind' }])
  t.equal(await (await fetch(`${http}/failing`)).text(), 'id: sync\ndata: one\n\nid: async\ndata: two\n\n')
  await until(() => lines.filter((line) => line.err?.message === 'store down').length === 2)
  t.pass('both failures logged')
})

t.test('an EventStream works over HTTP/2, where a Hijack cannot', async (t) => {
  const app = Fastify({ http2: true })
  t.teardown(() => app.close())
  await app.register(relic)
  app.relic.get('/events', () => new EventStream(async (events) => {
    await events.send({ data: 'over h2' })
  }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const session = connectHttp2(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`)
  t.teardown(() => session.close())
  const stream = session.request({ ':path': '/events' })
  let status = 0
  let type = ''
  let body = ''
  stream.on('response', (headers) => {
    status = Number(headers[':status'])
    type = String(headers['content-type'])
  })
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => { body += chunk })
  await new Promise((resolve) => stream.on('end', resolve))
  t.equal(status, 200)
  t.equal(type, 'text/event-stream; charset=utf-8')
  t.equal(body, 'data: over h2\n\n')
})

t.test('app.close() cuts a stream whose client does not read its end, after the grace period', async (t) => {
  const app = await build(t, { relic: { gracePeriod: 300 } })
  app.relic.get('/flood', () => new EventStream(async (events) => {
    const data = 'z'.repeat(4096)
    while (await events.send({ data }));
  }))
  const { port } = await listen(app)
  const socket = netConnect(port, '127.0.0.1', () => socket.write('GET /flood HTTP/1.1\r\nHost: x\r\n\r\n'))
  socket.on('error', () => {})
  socket.pause()
  t.teardown(() => socket.destroy())
  await until(() => app.relic.connections === 1)
  await sleep(100)
  const start = Date.now()
  await app.close()
  const took = Date.now() - start
  t.ok(took >= 250 && took < 3000, `close() took ${took} ms`)
})

t.test('a stream whose response is never sent (an onSend hook fails) ends at once', async (t) => {
  const app = await build(t)
  app.addHook('onSend', async (request) => {
    if (request.url === '/events') throw new Error('onSend refused')
  })
  let server: ServerSentEvents | undefined
  let last: boolean | undefined
  app.relic.get('/events', () => new EventStream(async (events) => {
    server = events
    while ((last = await events.send({ data: 'x'.repeat(1024) })));
  }))
  const { http } = await listen(app)
  t.equal((await fetch(`${http}/events`)).status, 500)
  await until(() => server?.closed === true)
  t.equal(last, false, 'the sender was released')
  await until(() => app.relic.connections === 0)
})
