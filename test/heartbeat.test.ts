import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { WebSocketUpgrade, type RelicWebSocket, type WebSocketEvent } from '../lib/index.js'
import { heartbeatTimers } from '../lib/heartbeat.js'
import { build, captureLogs, connect, listen, until } from './helper.js'

const INTERVAL = 150

// A route that records each connection's socket and events.
function record (): { sockets: RelicWebSocket[], events: WebSocketEvent[][], callback: (ws: RelicWebSocket) => Promise<void> } {
  const sockets: RelicWebSocket[] = []
  const events: WebSocketEvent[][] = []
  return {
    sockets,
    events,
    callback: async (ws) => {
      sockets.push(ws)
      const mine: WebSocketEvent[] = []
      events.push(mine)
      for await (const event of ws.events) mine.push(event)
    }
  }
}

t.test('a peer that stops answering pings is cut within two intervals; events end with 1001', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  const { events, callback } = record()
  app.relic.get('/ws', () => new WebSocketUpgrade(callback, { pingInterval: INTERVAL }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  await until(() => events.length === 1)
  // A paused client reads nothing, so it answers no ping: a peer that hung or vanished.
  client.pause()
  const paused = Date.now()
  await until(() => events[0]?.at(-1)?.type === 'close', 4 * INTERVAL)
  const elapsed = Date.now() - paused
  t.ok(elapsed <= 2 * INTERVAL + 200, `detected after ${elapsed} ms`)
  t.same(events[0]?.map((event) => ({ ...event })), [{ type: 'close', code: 1001, reason: 'Ping timeout' }])
  await until(() => app.relic.connections === 0)
  t.pass('the connection is gone')
  t.ok(lines.some((line) => line.level === 20 && /did not answer a ping/.test(line.msg)), 'logged at debug')
  t.notOk(lines.some((line) => line.level >= 50), 'not an error')
  const close = lines.find((line) => line.msg === 'WebSocket closed')
  t.equal(close?.code, 1001)
})

t.test('a peer that answers stays connected, and is pinged at each interval', async (t) => {
  const app = await build(t)
  const { events, callback } = record()
  app.relic.get('/ws', () => new WebSocketUpgrade(callback, { pingInterval: 50 }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  let pings = 0
  client.on('ping', () => { pings++ })
  await until(() => pings >= 4)
  t.equal(events[0]?.length, 0, 'answered four pings, still open')
  client.send('still here')
  await until(() => events[0]?.length === 1)
})

t.test('the interval comes from the plugin, the route overrides it, and ws.pingInterval changes it live', async (t) => {
  const app = await build(t, { relic: { pingInterval: 60_000 } })
  const { sockets, callback } = record()
  app.relic.get('/default', () => new WebSocketUpgrade(callback))
  app.relic.get('/route', () => new WebSocketUpgrade(callback, { pingInterval: 30_000 }))
  app.relic.get('/off', () => new WebSocketUpgrade(callback, { pingInterval: null }))
  const { ws: base } = await listen(app)
  for (const path of ['default', 'route', 'off']) await connect(t, `${base}/${path}`)
  await until(() => sockets.length === 3)
  t.same(sockets.map((ws) => ws.pingInterval), [60_000, 30_000, null])
  const [byDefault] = sockets as [RelicWebSocket]

  const client = await connect(t, `${base}/off`)
  let pings = 0
  client.on('ping', () => { pings++ })
  await until(() => sockets.length === 4)
  const live = sockets[3] as RelicWebSocket
  live.pingInterval = 40
  live.pingInterval = 40
  t.equal(live.pingInterval, 40)
  await until(() => pings >= 2)
  live.pingInterval = null
  const after = pings
  await sleep(150)
  t.ok(pings <= after + 1, 'no more pings once off')
  t.throws(() => { live.pingInterval = 0 }, { code: 'FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION' })
  t.throws(() => { live.pingInterval = Number.NaN }, { code: 'FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION' })
  t.throws(() => { live.pingInterval = '5' as unknown as number }, { code: 'FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION' })
  byDefault.pingInterval = null
  t.equal(byDefault.pingInterval, null)
})

t.test('timers are shared per interval and stop when their last socket closes', async (t) => {
  const app = await build(t)
  const { sockets, callback } = record()
  app.relic.get('/ws', () => new WebSocketUpgrade(callback, { pingInterval: 25_000 }))
  const { ws: base } = await listen(app)
  const before = heartbeatTimers()
  const clients = await Promise.all([1, 2, 3].map(() => connect(t, `${base}/ws`)))
  await until(() => sockets.length === 3)
  t.equal(heartbeatTimers(), before + 1, 'one timer for three sockets')
  for (const client of clients) client.close()
  await until(() => heartbeatTimers() === before)
  const closedSocket = sockets[0] as RelicWebSocket
  closedSocket.pingInterval = 1000
  t.equal(closedSocket.pingInterval, null, 'a closed socket is not pinged')
})

t.test('a socket that is closing leaves the heartbeat at the next beat, neither pinged nor cut', async (t) => {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  const { sockets, callback } = record()
  app.relic.get('/ws', () => new WebSocketUpgrade(callback, { pingInterval: 40 }))
  const { ws: base } = await listen(app)
  const before = heartbeatTimers()
  const client = await connect(t, `${base}/ws`)
  await until(() => sockets.length === 1)
  const ws = sockets[0] as RelicWebSocket
  t.equal(heartbeatTimers(), before + 1)
  // The paused client never answers the close: the socket stays closing, so only the beat (not
  // the close event) can let it go, and pinging a closing socket would throw in the timer.
  client.pause()
  ws.close(1000)
  await until(() => heartbeatTimers() === before, 1000)
  t.equal(ws.raw.readyState, ws.raw.CLOSING, 'still closing')
  t.notOk(lines.some((line) => /did not answer a ping/.test(line.msg)), 'not taken for a dead peer')
})

t.test('a socket paused because its consumer lags is not taken for dead', async (t) => {
  const app = await build(t)
  const received: string[] = []
  app.relic.get('/ws', () => new WebSocketUpgrade(async (ws) => {
    // The consumer starts late: past 2 buffered messages the socket is paused, pongs unread.
    await sleep(6 * 60)
    for await (const event of ws.events) if (event.type === 'text') received.push(event.text)
  }, { pingInterval: 60, maxBufferedEvents: 2 }))
  const { ws: base } = await listen(app)
  const client = await connect(t, `${base}/ws`)
  let closedWith: number | undefined
  client.on('close', (code) => { closedWith = code })
  for (let i = 0; i < 5; i++) client.send(String(i))
  await until(() => received.length === 5, 3000)
  await sleep(200)
  t.equal(closedWith, undefined, 'still open')
  t.same(received, ['0', '1', '2', '3', '4'])
})
