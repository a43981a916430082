import t from 'tap'
import { execFile } from 'node:child_process'
import { EventSource } from 'eventsource'
import { build } from '../example/complete-server.js'
import { closed, connect, messages } from './helper.js'

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
