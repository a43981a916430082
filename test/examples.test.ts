import t from 'tap'
import { execFile } from 'node:child_process'
import { EventSource } from 'eventsource'
import { build } from '../example/complete-server.js'
import { build as buildSse } from '../example/sse.js'
import { closed, connect, messages, until } from './helper.js'

t.test('complete-server: every route over real sockets', async (t) => {
  const app = build({ tickInterval: 20 })
  t.teardown(() => app.close())
  const http = await app.serve({ port: 0 })
  const ws = http.replace('http', 'ws')
  t.match(http, /^http:\/\/127\.0\.0\.1:\d+$/, 'serve() binds 127.0.0.1 and returns the address')

  t.test('/ws welcomes, then echoes', async (t) => {
    const client = await connect(t, `${ws}/ws`)
    t.same(await messages(client, 1), ['Welcome to Relic WebSocket!'])
    client.send('ping')
    client.send('pong')
    t.same(await messages(client, 2), ['Echo: ping', 'Echo: pong'])
    const seen = closed(client)
    client.close(1000)
    t.equal((await seen).code, 1000)
  })

  t.test('/sse is read by a real EventSource client', async (t) => {
    const source = new EventSource(`${http}/sse`)
    t.teardown(() => source.close())
    const ticks: string[] = []
    await new Promise<void>((resolve, reject) => {
      source.onmessage = (event) => {
        ticks.push(event.data)
        if (ticks.length === 3) resolve()
      }
      source.onerror = reject
    })
    t.same(ticks, ['tick', 'tick', 'tick'])
  })

  t.test('/sse is read by curl -N', async (t) => {
    const output = await new Promise<string>((resolve) => {
      execFile('curl', ['-sN', '--max-time', '0.5', `${http}/sse`], (_error, stdout) => resolve(stdout))
    })
    t.match(output, /^data: tick\n\ndata: tick\n\n/)
  })

  t.test('/custom answers with the hand-written head', async (t) => {
    const response = await fetch(`${http}/custom`)
    t.equal(response.status, 200)
    t.equal(response.headers.get('content-type'), 'text/plain')
    t.equal(await response.text(), 'Custom protocol response!')
  })

  t.test('/ answers with a web Response', async (t) => {
    t.match(await (await fetch(`${http}/`)).text(), /\/ws/)
  })
})

t.test('sse: EventStream ticks reach a real EventSource, which catches up after a reconnect', async (t) => {
  // undici (under EventSource) opens a fresh connection when a streaming fetch is aborted, and
  // sends nothing on it; Node's server.close() waits for such a connection until it times out.
  const app = await buildSse({ tickInterval: 20, forceCloseConnections: true })
  t.teardown(() => app.close())
  const http = await app.listen({ port: 0, host: '127.0.0.1' })
  const source = new EventSource(`${http}/clock`)
  t.teardown(() => source.close())
  const ticks: number[] = []
  source.addEventListener('tick', (event) => { ticks.push((JSON.parse(event.data) as { tick: number }).tick) })
  await until(() => ticks.length >= 3)
  // Leave for a while, then come back where we were, as EventSource does after a drop.
  source.close()
  const last = ticks.at(-1) as number
  await new Promise((resolve) => setTimeout(resolve, 100))
  const output = await new Promise<string>((resolve) => {
    execFile('curl', ['-sN', '--max-time', '0.3', '-H', `Last-Event-ID: ${last}`, `${http}/clock`], (_error, stdout) => resolve(stdout))
  })
  const ids = [...output.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]))
  t.equal(ids[0], last + 1, 'the first event is the one after the last seen')
  t.ok(ids.every((id, i) => i === 0 || id === (ids[i - 1] as number) + 1), 'none missed, none twice')
})
