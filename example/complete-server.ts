// Relic's complete server example, on Fastify: a WebSocket echo, Server-Sent Events over a
// hijacked connection, and a custom protocol answer written by hand; plus the demo page at `/`
// and what it shows: an EventStream with replay, upgrades the handler refuses, a chat room.
//   npm start            then: open http://127.0.0.1:8080/, or curl -N http://127.0.0.1:8080/sse
import { EventEmitter, on } from 'node:events'
import { pathToFileURL } from 'node:url'
import type { FastifyServerOptions } from 'fastify'
import { EventStream, Hijack, MemoryReplayStore, RelicApp, WebSocketUpgrade } from 'fastify-relic'
import { chatRoute } from './chat.js'
import { DEMO_PAGE } from './demo-page.js'

const TOKEN = 'let-me-in'

export interface CompleteServerOptions extends FastifyServerOptions {
  /** Milliseconds between SSE ticks; default 1000. */
  tickInterval?: number
}

export function build ({ tickInterval = 1000, ...fastifyOptions }: CompleteServerOptions = {}): RelicApp {
  const clock = startClock(tickInterval)
  const app = new RelicApp(fastifyOptions)
  app.fastify.addHook('onClose', async () => { clock.stop() })
  return app
    .get('/', () => new Response(DEMO_PAGE, { headers: { 'content-type': 'text/html; charset=utf-8' } }))

    .get('/ws', () => new WebSocketUpgrade(async (ws) => {
      ws.sendText('Welcome to Relic WebSocket!')
      for await (const event of ws.events) {
        if (event.type !== 'text') continue
        if (event.text === 'close') ws.close(4000, 'closed by the server')
        else ws.sendText(`Echo: ${event.text}`)
      }
    }))

    // The clock's ticks as Server-Sent Events. A client that reconnects with Last-Event-ID gets
    // the ticks it missed from the replay store first; ?drop=n ends the stream every n ticks, so
    // that the browser's reconnect can be seen.
    .get('/events', (request) => new EventStream(async (events) => {
      // Listening before anything is awaited: the replay and the live ticks meet without a gap.
      const ticks = on(clock.ticks, 'tick', { signal: events.signal }) as AsyncIterable<[number]>
      const drop = Number((request.query as { drop?: string }).drop ?? 0)
      await events.send({ data: 'connected', event: 'hello', retry: 200 })
      let sent = 0
      try {
        for await (const [tick] of ticks) {
          await events.send({ event: 'tick', id: String(tick), data: `tick ${tick}` })
          if (++sent === drop) return
        }
      } catch (error) {
        // The stream ended (the client left): the signal stops the loop with an AbortError.
        if (!events.signal.aborted) throw error
      }
    }, { replay: clock.store }))

    // An upgrade the handler refuses with a real HTTP status, unless ?token= is right.
    .get('/private', (request) => (request.query as { token?: string }).token === TOKEN
      ? new WebSocketUpgrade((ws) => { ws.sendText('welcome, token holder') })
      : new Response('a token is needed', { status: 401 }))

    // Browsers never see that status, so the same decision after accepting: close 4401.
    .get('/private-close', (request) => new WebSocketUpgrade((ws) => {
      if ((request.query as { token?: string }).token === TOKEN) ws.sendText('welcome, token holder')
      else ws.close(4401, 'unauthorized')
    }))

    .register(async (instance) => { chatRoute(instance) })

    // A hijacked connection writes its own HTTP head; the body of an event stream without a
    // length ends when the connection does.
    .get('/sse', () => new Hijack(async (channel) => {
      channel.sink.add('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n' +
        'Connection: keep-alive\r\n\r\n')
      const timer = setInterval(() => channel.sink.add('data: tick\n\n'), tickInterval)
      // sink.add after a disconnect is a harmless no-op, so the timer may still fire once.
      await channel.sink.done
      clearInterval(timer)
    }))

    .get('/custom', () => new Hijack((channel) => {
      const body = 'Custom protocol response!'
      channel.sink.add(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n` +
        `Connection: close\r\n\r\n${body}`)
      void channel.sink.close()
    }))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = build({ logger: true })
  const address = await app.serve({ port: Number(process.env.PORT ?? 8080), host: process.env.HOST ?? '127.0.0.1' })
  console.log(`fastify-relic demo listening on ${address}`)
}

// A clock every stream shares: each tick is kept in the replay store and announced once.
function startClock (interval: number): { ticks: EventEmitter, store: MemoryReplayStore, stop: () => void } {
  const ticks = new EventEmitter()
  ticks.setMaxListeners(0)
  const store = new MemoryReplayStore({ size: 100 })
  let tick = 0
  const timer = setInterval(() => {
    tick++
    store.append({ id: String(tick), data: `tick ${tick}`, event: 'tick' })
    ticks.emit('tick', tick)
  }, interval).unref()
  return { ticks, store, stop: () => clearInterval(timer) }
}
