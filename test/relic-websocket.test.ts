import t, { type Test } from 'tap'
import WebSocket from 'ws'
import {
  BinaryDataReceived, CloseReceived, RelicWebSocket, TextDataReceived, WebSocketConnectionClosed, WebSocketException,
  WebSocketUpgrade, type WebSocketEvent
} from '../lib/index.js'
import { build, captureLogs, closed, connect, listen, messages, until } from './helper.js'

type Callback = (ws: RelicWebSocket) => void | Promise<void>

/** A relic route running `callback`, a connected client, and the server's socket. */
async function session (t: Test, callback: Callback = () => {}): Promise<{ client: WebSocket, server: RelicWebSocket }> {
  const app = await build(t)
  let resolveServer: (ws: RelicWebSocket) => void = () => {}
  const server = new Promise<RelicWebSocket>((resolve) => { resolveServer = resolve })
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => {
    resolveServer(ws)
    return callback(ws)
  }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  return { client, server: await server }
}

function thrown (fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}

async function collect (ws: RelicWebSocket): Promise<WebSocketEvent[]> {
  const events: WebSocketEvent[] = []
  for await (const event of ws.events) events.push(event)
  return events
}

t.test('events yields text, binary and the peer close, then ends; both switch and instanceof narrow', async (t) => {
  const { client, server } = await session(t)
  const all = collect(server)
  client.send('hi')
  client.send(Buffer.from([1, 2, 3]))
  client.close(4001, 'bye')
  const events = await all
  t.equal(events.length, 3)
  const [text, binary, close] = events
  t.ok(text instanceof TextDataReceived)
  t.same(text, { type: 'text', text: 'hi' })
  t.ok(binary instanceof BinaryDataReceived)
  t.same([...(binary as BinaryDataReceived).data], [1, 2, 3])
  t.ok(close instanceof CloseReceived)
  t.same({ ...close }, { type: 'close', code: 4001, reason: 'bye' })
  const kinds = events.map((event) => {
    switch (event.type) {
      case 'text': return `text:${event.text}`
      case 'binary': return `binary:${event.data.length}`
      case 'close': return `close:${event.code}`
    }
  })
  t.same(kinds, ['text:hi', 'binary:3', 'close:4001'])
  t.ok(server.isClosed)
})

t.test('a peer close without a code gives CloseReceived with code undefined', async (t) => {
  const { client, server } = await session(t)
  const all = collect(server)
  client.close()
  t.same((await all).map((e) => ({ ...e })), [{ type: 'close', code: undefined, reason: '' }])
})

t.test('a dropped connection gives CloseReceived 1006, then the events end', async (t) => {
  const { client, server } = await session(t)
  const all = collect(server)
  client.terminate()
  t.same((await all).map((e) => ({ ...e })), [{ type: 'close', code: 1006, reason: '' }])
})

t.test('a local close ends the events without a CloseReceived; the peer sees code and reason', async (t) => {
  const { client, server } = await session(t)
  const all = collect(server)
  const seen = closed(client)
  server.close(4000, 'done here')
  t.same(await all, [])
  t.same(await seen, { code: 4000, reason: 'done here' })
})

t.test('close() without a code: the peer sees 1005', async (t) => {
  const { client, server } = await session(t)
  const seen = closed(client)
  server.close()
  t.equal((await seen).code, 1005)
})

t.test('events has one consumer: a second for await or listen throws a coded error', async (t) => {
  const { server } = await session(t)
  void collect(server)
  t.throws(() => server.events[Symbol.asyncIterator](), { code: 'FST_ERR_RELIC_EVENTS_CONSUMED', message: /iterating/ })
  t.throws(() => server.events.listen(() => {}), { code: 'FST_ERR_RELIC_EVENTS_CONSUMED', message: /listening/ })
})

t.test('listen delivers the buffered events first, then live ones, until cancelled', async (t) => {
  const { client, server } = await session(t)
  client.send('early-1')
  client.send('early-2')
  await new Promise((resolve) => setTimeout(resolve, 50))
  const texts: string[] = []
  const subscription = server.events.listen((event) => { if (event.type === 'text') texts.push(event.text) })
  t.same(texts, ['early-1', 'early-2'], 'buffered ones at once, in order')
  client.send('live')
  await until(() => texts.length === 3)
  subscription.cancel()
  client.send('after cancel')
  server.sendText('still open')
  t.same(await messages(client, 1), ['still open'])
  t.same(texts, ['early-1', 'early-2', 'live'])
})

t.test('a listener that throws or rejects closes the connection with 1011', async (t) => {
  for (const listener of [() => { throw new Error('listener bug') }, async () => { throw new Error('async listener bug') }]) {
    const { client, server } = await session(t, (ws) => { ws.events.listen(listener) })
    const seen = closed(client)
    client.send('boom')
    t.equal((await seen).code, 1011)
    t.ok(server.isClosed)
  }
})

t.test('leaving the loop early stops the events; the socket stays usable', async (t) => {
  const { client } = await session(t, async (ws) => {
    for await (const event of ws.events) if (event.type === 'text') break
    ws.sendText('left the loop')
  })
  client.send('first')
  t.same(await messages(client, 1), ['left the loop'])
})

t.test('sends after close throw WebSocketConnectionClosed; the try variants return false', async (t) => {
  const { client, server } = await session(t)
  t.equal(server.trySendText('open'), true)
  t.equal(server.trySendBytes(new Uint8Array([9])), true)
  server.sendBytes(Buffer.from('bytes'))
  const binary = new Promise<string[]>((resolve) => {
    const all: string[] = []
    client.on('message', (data, isBinary) => {
      if (isBinary) all.push((data as Buffer).toString('hex'))
      if (all.length === 2) resolve(all)
    })
  })
  t.same(await messages(client, 1), ['open'])
  t.same(await binary, ['09', Buffer.from('bytes').toString('hex')], 'bytes go out as binary frames')
  server.close(1000)
  t.ok(server.isClosed)
  for (const send of [() => server.sendText('x'), () => server.sendBytes(new Uint8Array(1)), () => server.close()]) {
    try {
      send()
      t.fail('should throw')
    } catch (error) {
      t.ok(error instanceof WebSocketConnectionClosed)
      t.ok(error instanceof WebSocketException, 'a WebSocketException')
      t.equal((error as { code: string }).code, 'FST_ERR_RELIC_WEBSOCKET_CLOSED')
    }
  }
  t.equal(server.trySendText('x'), false)
  t.equal(server.trySendBytes(new Uint8Array(1)), false)
  t.equal(server.tryClose(), false)
})

t.test('close validates code and reason with coded RangeErrors', async (t) => {
  const { server } = await session(t)
  for (const code of [0, 999, 1001, 1005, 1011, 2999, 5000, 3000.5, Number.NaN, '1000' as unknown as number]) {
    t.ok(thrown(() => server.close(code)) instanceof RangeError, `code ${String(code)} is a RangeError`)
    t.throws(() => server.tryClose(code), { code: 'FST_ERR_RELIC_INVALID_CLOSE_CODE' })
  }
  t.throws(() => server.close(1000, 'é'.repeat(62)), { code: 'FST_ERR_RELIC_INVALID_CLOSE_REASON', message: /123 UTF-8 bytes/ })
  t.throws(() => server.close(undefined, 'why'), { code: 'FST_ERR_RELIC_INVALID_CLOSE_REASON', message: /needs a close code/ })
  t.throws(() => server.close(1000, 42 as unknown as string), { code: 'FST_ERR_RELIC_INVALID_CLOSE_REASON' })
  t.notOk(server.isClosed, 'nothing was closed by a refused call')
  t.equal(server.tryClose(4999, 'é'.repeat(61)), true, '122 bytes is fine')
})

t.test('codes 1000 and 3000-4999 close', async (t) => {
  for (const code of [1000, 3000, 4999]) {
    const { client, server } = await session(t)
    const seen = closed(client)
    server.close(code, 'ok')
    t.same(await seen, { code, reason: 'ok' })
  }
})

t.test('payloads of the wrong type are refused with a coded TypeError', async (t) => {
  const { server } = await session(t)
  t.throws(() => server.sendText(1 as unknown as string), { code: 'FST_ERR_RELIC_INVALID_PAYLOAD' })
  t.throws(() => server.trySendText({} as unknown as string), { code: 'FST_ERR_RELIC_INVALID_PAYLOAD' })
  t.ok(thrown(() => server.sendBytes('text' as unknown as Uint8Array)) instanceof TypeError)
  t.throws(() => server.trySendBytes([1] as unknown as Uint8Array), { code: 'FST_ERR_RELIC_INVALID_PAYLOAD' })
})

t.test('raw is the ws socket; a malformed frame closes the connection without crashing', async (t) => {
  const { client, server } = await session(t)
  t.ok(server.raw instanceof WebSocket)
  const all = collect(server)
  // A masked frame with a reserved opcode (0x3): the server must fail the connection with 1002.
  const socket = (client as unknown as { _socket: import('node:net').Socket })._socket
  socket.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]))
  const events = await all
  t.equal((events[0] as CloseReceived).code, 1006)
})

t.test('a callback that closes and then throws keeps its own close code', async (t) => {
  const app = await build(t)
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => {
    ws.close(4002, 'mine')
    throw new Error('after close')
  }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  t.same(await closed(client), { code: 4002, reason: 'mine' })
})

t.test('a failing listener gets no more events: one failure, one log line', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  let calls = 0
  app.relic.get('/ws', () => new WebSocketUpgrade((ws) => {
    ws.events.listen(() => {
      calls++
      throw new Error('listener bug')
    })
  }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  const seen = closed(client)
  client.send('a')
  client.send('b')
  client.send('c')
  t.equal((await seen).code, 1011)
  t.equal(calls, 1)
  t.equal(lines.filter((l) => l.level === 50).length, 1)
})

t.test('next() called again before the last call settled: both resolve, in order', async (t) => {
  const { client, server } = await session(t)
  const iterator = server.events[Symbol.asyncIterator]()
  const first = iterator.next()
  const second = iterator.next()
  const third = iterator.next()
  client.send('a')
  client.send('b')
  t.same((await first).value, { type: 'text', text: 'a' })
  t.same((await second).value, { type: 'text', text: 'b' })
  client.terminate()
  t.same((await third).value, { type: 'close', code: 1006, reason: '' })
  t.same(await iterator.next(), { value: undefined, done: true })
})

t.test('next() calls waiting when the events end all resolve done', async (t) => {
  const { server } = await session(t)
  const iterator = server.events[Symbol.asyncIterator]()
  const waiting = [iterator.next(), iterator.next(), iterator.next()]
  server.close(1000)
  t.same(await Promise.all(waiting), waiting.map(() => ({ value: undefined, done: true })))
})

t.test('a flood the callback does not read pauses the connection; nothing is lost, order kept', async (t) => {
  const { client, server } = await session(t)
  const total = 2000
  for (let i = 0; i < total; i++) client.send(`${i}:${'x'.repeat(1000)}`)
  await until(() => server.raw.isPaused)
  t.pass('the server stopped reading once 64 messages were waiting')
  let next = 0
  let inOrder = true
  for await (const event of server.events) {
    if (event.type !== 'text') continue
    if (!event.text.startsWith(`${next}:`)) inOrder = false
    if (++next === total) break
  }
  t.equal(next, total, 'every message arrived')
  t.ok(inOrder, 'in order')
  t.equal(server.raw.isPaused, false, 'reading again')
})

t.test('a listener started on a paused connection resumes it', async (t) => {
  const { client, server } = await session(t)
  for (let i = 0; i < 200; i++) client.send(String(i))
  await until(() => server.raw.isPaused)
  let count = 0
  server.events.listen(() => { count++ })
  await until(() => count === 200)
  t.equal(server.raw.isPaused, false)
})

t.test('a local close ends the events at once, even while the peer keeps sending', async (t) => {
  const { client, server } = await session(t)
  const all = collect(server)
  server.close(1000)
  client.send('after the close')
  t.same(await all, [])
})

t.test('a send that loses the race with the peer close is logged at debug, not as an error', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  let failed = false
  app.relic.get('/ws', () => new WebSocketUpgrade(async (ws) => {
    for await (const event of ws.events) {
      if (event.type === 'text') {
        await new Promise((resolve) => setTimeout(resolve, 50))
        try {
          ws.sendText('too late')
        } catch (error) {
          failed = true
          throw error
        }
      }
    }
  }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  client.send('bye')
  client.close(1000)
  await until(() => failed && lines.some((l) => l.err?.message === 'The WebSocket connection is closed'))
  const line = lines.find((l) => l.err?.message === 'The WebSocket connection is closed')
  t.equal(line?.level, 20, 'debug')
})
