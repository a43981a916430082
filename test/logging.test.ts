import t, { type Test } from 'tap'
import { connect as netConnect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { WebSocketUpgrade, type RelicWebSocket } from '../lib/index.js'
import { build, captureLogs, closed, connect, listen, until, type LogLine } from './helper.js'

const ERROR = 50
const WARN = 40

async function echoApp (t: Test): Promise<{ base: string, port: number, lines: LogLine[] }> {
  const { logger, lines } = captureLogs()
  const app = await build(t, { fastify: { logger } })
  app.relic.get('/ws', () => new WebSocketUpgrade(async (ws: RelicWebSocket) => {
    for await (const event of ws.events) if (event.type === 'text') ws.sendText(event.text)
  }))
  app.relic.get('/bye', () => new WebSocketUpgrade((ws) => { ws.close(4000, 'done') }))
  const { ws: base, port } = await listen(app)
  return { base, port, lines }
}

const closeLines = (lines: LogLine[]): LogLine[] => lines.filter((line) => line.msg === 'WebSocket closed')

t.test('one line per connection on close: request id, duration, close code', async (t) => {
  const { base, lines } = await echoApp(t)
  const client = await connect(t, `${base}/ws`)
  await sleep(30)
  client.close(1000, 'finished')
  await until(() => closeLines(lines).length === 1)
  const [line] = closeLines(lines) as [LogLine]
  const incoming = lines.find((l) => l.msg === 'incoming request')
  t.equal(line.reqId, incoming?.reqId, 'the request id of the upgrade request')
  t.equal(line.level, 30, 'info, as Fastify\'s "request completed"')
  t.equal(line.code, 1000)
  t.equal(line.reason, 'finished')
  t.ok(typeof line.duration === 'number' && line.duration >= 25 && line.duration < 5000, `duration ${String(line.duration)} ms`)

  const other = await connect(t, `${base}/bye`)
  t.equal((await closed(other)).code, 4000)
  await until(() => closeLines(lines).length === 2)
  t.equal(closeLines(lines)[1]?.code, 4000, 'a close the server started')
  t.not(closeLines(lines)[1]?.reqId, line.reqId)
})

t.test('a client that vanishes (reset, dropped) is logged at debug level, never as an error', async (t) => {
  const { base, port, lines } = await echoApp(t)
  const dropped = await connect(t, `${base}/ws`)
  dropped.terminate()
  // A TCP reset mid-connection.
  const reset = await new Promise<Socket>((resolve) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
    })
    socket.once('data', () => resolve(socket))
  })
  reset.resetAndDestroy()
  // A peer that breaks the protocol mid-connection.
  const rude = await connect(t, `${base}/ws`)
  ;(rude as unknown as { _socket: Socket })._socket.write(Buffer.from([0x83, 0x00]))
  await until(() => closeLines(lines).length === 3)
  // None sent a close frame: `ws` reports 1006 for each, the failed one included.
  t.same(closeLines(lines).map((line) => line.code), [1006, 1006, 1006])
  t.notOk(lines.some((line) => line.level >= WARN), 'no warning or error')
  t.ok(lines.some((line) => line.level === 20 && line.msg === 'WebSocket connection error'), 'the protocol error at debug')
})
