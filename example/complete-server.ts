// Relic's complete server example, on Fastify: a WebSocket echo, Server-Sent Events over a
// hijacked connection, and a custom protocol answer written by hand.
//   npm start            then: open ws://127.0.0.1:8080/ws, curl -N http://127.0.0.1:8080/sse
import { pathToFileURL } from 'node:url'
import type { FastifyServerOptions } from 'fastify'
import { Hijack, RelicApp, WebSocketUpgrade } from 'fastify-relic'

export interface CompleteServerOptions extends FastifyServerOptions {
  /** Milliseconds between SSE ticks; default 1000. */
  tickInterval?: number
}

export function build ({ tickInterval = 1000, ...fastifyOptions }: CompleteServerOptions = {}): RelicApp {
  return new RelicApp(fastifyOptions)
    .get('/', () => new Response('fastify-relic: try /ws (WebSocket), /sse (Server-Sent Events), /custom\n'))

    .get('/ws', () => new WebSocketUpgrade(async (ws) => {
      ws.sendText('Welcome to Relic WebSocket!')
      for await (const event of ws.events) {
        if (event.type === 'text') ws.sendText(`Echo: ${event.text}`)
      }
    }))

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
