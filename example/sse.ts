// Server-Sent Events with EventStream: a clock feed that a reconnecting client catches up on.
//   npx tsx --conditions=fastify-relic-source example/sse.ts
//   then: curl -N http://127.0.0.1:8081/clock   (or new EventSource('/clock') in a browser)
import { pathToFileURL } from 'node:url'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import relic, { EventStream, MemoryReplayStore } from 'fastify-relic'

export interface SseExampleOptions extends FastifyServerOptions {
  /** Milliseconds between ticks; default 1000. */
  tickInterval?: number
}

export async function build ({ tickInterval = 1000, ...fastifyOptions }: SseExampleOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions)
  await app.register(relic)
  // One feed for every client: a client that reconnects with Last-Event-ID gets what it missed.
  const clock = new MemoryReplayStore({ size: 100 })
  let tick = 0

  app.relic.get('/clock', () => new EventStream(async (events) => {
    const timer = setInterval(() => {
      tick++
      void events.send({ event: 'tick', id: String(tick), data: { tick, at: new Date().toISOString() } })
    }, tickInterval)
    // The stream ends when the client leaves or the server closes; so does the timer.
    events.signal.addEventListener('abort', () => clearInterval(timer))
    await events.done
  }, { replay: clock }))

  return app
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = await build({ logger: true })
  await app.listen({ port: Number(process.env.PORT ?? 8081), host: process.env.HOST ?? '127.0.0.1' })
}
