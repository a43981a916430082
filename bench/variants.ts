// The servers the benchmark compares: fastify-relic routes and the baselines that do the same
// work without it. Each returns the port it listens on (127.0.0.1, an ephemeral port).
import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyWebsocket from '@fastify/websocket'
import { WebSocketServer, type WebSocket } from 'ws'
import relic, { EventStream, Hijack, WebSocketUpgrade } from 'fastify-relic'
import { redis } from 'fastify-relic/redis'

const HOST = '127.0.0.1'
const BODY = { hello: 'world' }
const TEXT = 'hello world'
/** One SSE event as the sse scenario writes it; the client counts events by its length. */
const SSE_DATA = 'tick 0123456789abcdef'
export const SSE_EVENT = `data: ${SSE_DATA}\n\n`
const SSE_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function fastify (withRelic: boolean): Promise<FastifyInstance> {
  const app = Fastify()
  if (withRelic) await app.register(relic)
  return app
}

async function listen (app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: HOST })
  return (app.server.address() as AddressInfo).port
}

async function listenNode (server: ReturnType<typeof createServer>): Promise<number> {
  server.listen(0, HOST)
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

// Writes events as fast as the client reads them: a write that fills the buffer waits for drain.
async function pump (write: (chunk: string) => boolean, drained: () => Promise<unknown>, open: () => boolean): Promise<void> {
  while (open()) {
    if (!write(SSE_EVENT)) await drained()
  }
}

function pubsubRoute (app: FastifyInstance): FastifyInstance {
  return app.relic.get('/', (request) => new WebSocketUpgrade((ws) => {
    if ((request.query as { pub?: string }).pub === undefined) return ws.subscribe('bench')
    ws.events.listen((event) => { if (event.type === 'text') app.relic.publish('bench', event.text) })
  }))
}

export const variants: Record<string, () => Promise<number>> = {
  // http
  'node-http': () => listenNode(createServer((_request, response) => {
    response.setHeader('content-type', 'application/json; charset=utf-8')
    response.end(JSON.stringify(BODY))
  })),
  'fastify-object': async () => listen((await fastify(false)).get('/', async () => BODY)),
  'fastify-response': async () => listen((await fastify(false)).get('/', async () => new Response(TEXT))),
  'fastify+relic-object': async () => listen((await fastify(true)).get('/', async () => BODY)),
  'relic-object': async () => listen((await fastify(true)).relic.get('/', async () => BODY)),
  'relic-response': async () => listen((await fastify(true)).relic.get('/', async () => new Response(TEXT))),

  // WebSocket echo: each decodes the text and sends a string back, the same work everywhere.
  'raw-ws': async () => {
    const server = createServer()
    new WebSocketServer({ server }).on('connection', (socket) => {
      socket.on('message', (data) => { socket.send(data.toString()) })
    })
    return await listenNode(server)
  },
  // The same `for await` echo with no Fastify and no relic: a bare async iterator over a raw ws
  // socket (a promise per message, an array for what comes while the loop is busy). What the
  // language's async iteration costs on its own.
  'raw-ws-for-await': async () => {
    const server = createServer()
    new WebSocketServer({ server }).on('connection', (socket) => {
      const queued: string[] = []
      let waiting: ((result: IteratorResult<string, undefined>) => void) | undefined
      const settle = (result: IteratorResult<string, undefined>): void => {
        const resolve = waiting
        waiting = undefined
        resolve?.(result)
      }
      socket.on('message', (data) => {
        if (waiting === undefined) queued.push(data.toString())
        else settle({ value: data.toString(), done: false })
      })
      socket.on('close', () => settle({ value: undefined, done: true }))
      const messages: AsyncIterable<string> = {
        [Symbol.asyncIterator]: () => ({
          next: () => queued.length > 0
            ? Promise.resolve({ value: queued.shift() as string, done: false })
            : new Promise((resolve) => { waiting = resolve })
        })
      }
      void (async () => { for await (const text of messages) socket.send(text) })()
    })
    return await listenNode(server)
  },
  'fastify-ws': async () => {
    const app = Fastify()
    await app.register(fastifyWebsocket)
    app.get('/', { websocket: true }, (socket) => {
      socket.on('message', (data: Buffer) => { socket.send(data.toString()) })
    })
    return await listen(app)
  },
  'relic-ws': async () => listen((await fastify(true)).relic.get('/', () => new WebSocketUpgrade(async (ws) => {
    for await (const event of ws.events) if (event.type === 'text') ws.sendText(event.text)
  }))),
  'relic-ws-listen': async () => listen((await fastify(true)).relic.get('/', () => new WebSocketUpgrade((ws) => {
    ws.events.listen((event) => { if (event.type === 'text') ws.sendText(event.text) })
  }))),

  // Fan-out: sockets opened on `/` subscribe to one topic; each message that a socket opened on
  // `/?pub` sends is published to all of them.
  'relic-pubsub': async () => listen(pubsubRoute(await fastify(true))),
  'relic-pubsub-redis': async () => {
    const app = Fastify()
    await app.register(relic, { pubsub: redis({ url: process.env.BENCH_REDIS_URL as string }) })
    return await listen(pubsubRoute(app))
  },
  'raw-ws-broadcast': async () => {
    const server = createServer()
    const subscribers = new Set<WebSocket>()
    new WebSocketServer({ server }).on('connection', (socket, request) => {
      if (request.url?.includes('pub') === true) {
        socket.on('message', (data) => {
          const text = data.toString()
          for (const subscriber of subscribers) subscriber.send(text)
        })
        return
      }
      subscribers.add(socket)
      socket.on('close', () => subscribers.delete(socket))
    })
    return await listenNode(server)
  },

  // A slow consumer (1 ms per message) under a flood. @fastify/websocket queues what its
  // listener cannot handle yet, without bound; relic's events stop reading the connection.
  'fastify-ws-slow': async () => {
    const app = Fastify()
    await app.register(fastifyWebsocket, { options: { maxPayload: 1 << 20 } })
    app.get('/', { websocket: true }, (socket) => {
      const queue: Buffer[] = []
      let draining = false
      socket.on('message', async (data: Buffer) => {
        queue.push(data)
        if (draining) return
        draining = true
        while (queue.shift() !== undefined) await sleep(1)
        draining = false
      })
    })
    return await listen(app)
  },
  'relic-ws-slow': async () => listen((await fastify(true)).relic.get('/', () => new WebSocketUpgrade(async (ws) => {
    for await (const _event of ws.events) await sleep(1)
  }))),

  // Server-Sent Events, pushed as fast as each client reads.
  'node-sse': () => listenNode(createServer((_request, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    let open = true
    response.on('close', () => { open = false })
    void pump((chunk) => response.write(chunk), () => once(response, 'drain'), () => open)
  })),
  'relic-event-stream': async () => listen((await fastify(true)).relic.get('/', () => new EventStream(async (events) => {
    // send resolves at once while the client keeps up, and waits when it does not.
    while (await events.send({ data: SSE_DATA }));
  }, { heartbeat: null }))),
  'relic-hijack-sse': async () => listen((await fastify(true)).relic.get('/', () => new Hijack(async (channel) => {
    channel.sink.add(SSE_HEAD)
    let open = true
    void channel.sink.done.then(() => { open = false })
    const socket = channel.socket
    await pump((chunk) => channel.sink.add(chunk) && !socket.writableNeedDrain,
      () => Promise.race([once(socket, 'drain'), channel.sink.done]), () => open)
  })))
}
