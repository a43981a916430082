import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import type { Socket } from 'node:net'
import { describe, expect, test } from 'tstyche'
import type { PerMessageDeflateOptions, WebSocket } from 'ws'
import relic, {
  BinaryDataReceived, CloseReceived, EventStream, Hijack, HijackChannel, MemoryReplayStore, RelicApp, RelicWebSocket,
  ServerSentEvents, TextDataReceived, WebSocketConnectionClosed, WebSocketException, WebSocketUpgrade, fastifyRelic,
  type PathParams, type PubSub, type RelicFacade, type ReplayStore, type WebSocketEvent, type WebSocketOptions
} from 'fastify-relic'
import { redis } from 'fastify-relic/redis'

const app = Fastify()
await app.register(relic)

describe('path params from the path literal', () => {
  test('a param is a string, an unknown param is an error', () => {
    app.relic.get('/users/:id', (request) => {
      expect(request.params.id).type.toBe<string>()
      expect(request.params).type.not.toHaveProperty('name')
      expect(request.params.name).type.toRaiseError("Property 'name' does not exist")
      return 'ok'
    })
  })
  test('several params, optional params and wildcards', () => {
    app.relic.get('/a/:from-:to/*', (request) => {
      expect(request.params).type.toBe<{ from: string, to: string, '*': string }>()
      return 'ok'
    })
    expect<PathParams<'/files/:name.:ext'>>().type.toBe<{ name: string, ext: string }>()
    expect<PathParams<'/p/:id?'>>().type.toBe<{ id?: string }>()
    expect<PathParams<string>>().type.toBe<unknown>()
  })
  test('the params with options and with route()', () => {
    app.relic.post('/orgs/:org', { config: {} }, (request) => {
      expect(request.params.org).type.toBe<string>()
      return 'ok'
    })
    app.relic.route({
      method: 'GET',
      url: '/teams/:team',
      handler: (request) => {
        expect(request.params.team).type.toBe<string>()
        return 'ok'
      }
    })
  })
})

describe('explicit generics and type providers', () => {
  test('generics win over the path', () => {
    app.relic.get<{ Params: { id: number }, Querystring: { q: string } }>('/users/:id', (request) => {
      expect(request.params.id).type.toBe<number>()
      expect(request.query.q).type.toBe<string>()
      return 'ok'
    })
    app.relic.post<{ Body: { name: string }, Headers: { 'x-token': string } }>('/bodies', (request) => {
      expect(request.body.name).type.toBe<string>()
      expect(request.headers['x-token']).type.toBe<string>()
      // TypeScript infers no type argument once some are given: with explicit generics, give Params too.
      expect(request.params).type.toBe<unknown>()
      return 'ok'
    })
  })
  test('a Reply generic checks what the handler returns, results still allowed', () => {
    app.relic.get<{ Reply: { ok: boolean } }>('/typed', () => ({ ok: true }))
    app.relic.get<{ Reply: { ok: boolean } }>('/typed-ws', () => new WebSocketUpgrade(() => {}))
    expect(app.relic.get<{ Reply: { ok: boolean } }>).type.not.toBeCallableWith('/bad', () => ({ ok: 'no' }))
  })
  test('a TypeBox schema types params, query and body through the provider', () => {
    const typed = Fastify().withTypeProvider<TypeBoxTypeProvider>()
    typed.relic.post('/items/:id', {
      schema: {
        params: Type.Object({ id: Type.Number() }),
        querystring: Type.Object({ limit: Type.Optional(Type.Integer()) }),
        body: Type.Object({ name: Type.String() })
      }
    }, (request) => {
      expect(request.params.id).type.toBe<number>()
      expect(request.query.limit).type.toBe<number | undefined>()
      expect(request.body.name).type.toBe<string>()
      return new Response('ok')
    })
  })
})

describe('handlers and results', () => {
  test('each route method returns the instance, so .relic chains', () => {
    expect(app.relic.get('/x', () => 'x')).type.toBe<FastifyInstance>()
    expect(app.relic.get('/x', () => 'x').relic.post('/y', () => 'y')).type.toBe<FastifyInstance>()
  })
  test('a handler may return any result, sync or async; this is the instance', () => {
    app.relic.get('/r', function () {
      expect(this).type.toBe<FastifyInstance>()
      return new Response('r')
    })
    app.relic.get('/w', async () => new WebSocketUpgrade(async () => {}))
    app.relic.get('/h', async () => Math.random() > 0.5 ? new Hijack(() => {}) : new Response('no', { status: 401 }))
  })
  test('the result callbacks are typed', () => {
    new WebSocketUpgrade((ws) => { expect(ws).type.toBe<RelicWebSocket>() })
    new Hijack((channel) => { expect(channel).type.toBe<HijackChannel>() })
    expect(WebSocketUpgrade).type.not.toBeConstructableWith('callback')
  })
  test('the plugin is the default and the named export', () => {
    expect(relic).type.toBe(fastifyRelic)
  })
})

describe('the WebSocket and its events', () => {
  test('events narrow on type and instanceof', async () => {
    const ws = {} as RelicWebSocket
    for await (const event of ws.events) {
      expect(event).type.toBe<WebSocketEvent>()
      if (event.type === 'text') expect(event).type.toBe<TextDataReceived>()
      if (event.type === 'binary') expect(event.data).type.toBe<Uint8Array>()
      if (event instanceof CloseReceived) {
        expect(event.code).type.toBe<number | undefined>()
        expect(event.reason).type.toBe<string>()
      }
      if (event instanceof BinaryDataReceived) expect(event.type).type.toBe<'binary'>()
    }
    expect(ws.events.listen).type.toBeCallableWith((event: WebSocketEvent) => { void event })
    expect(ws.events.listen(() => {}).cancel).type.toBe<() => void>()
  })
  test('the socket methods', () => {
    const ws = {} as RelicWebSocket
    expect(ws.sendText('x')).type.toBe<void>()
    expect(ws.trySendText('x')).type.toBe<boolean>()
    expect(ws.trySendBytes(new Uint8Array(1))).type.toBe<boolean>()
    expect(ws.sendText).type.not.toBeCallableWith(42)
    expect(ws.sendBytes).type.not.toBeCallableWith('text')
    expect(ws.close).type.toBeCallableWith(4000, 'bye')
    expect(ws.tryClose()).type.toBe<boolean>()
    expect(ws.isClosed).type.toBe<boolean>()
    expect(ws.protocol).type.toBe<string>()
    expect(ws.raw).type.toBe<WebSocket>()
  })
  test('the closed error is a WebSocketException', () => {
    const error = new WebSocketConnectionClosed()
    expect(error.code).type.toBe<'FST_ERR_RELIC_WEBSOCKET_CLOSED'>()
    expect(new WebSocketException('x').code).type.toBe<'FST_ERR_RELIC_WEBSOCKET'>()
  })
})

describe('WebSocket options, flow control and heartbeat', () => {
  test('route options are typed; a protocols function gets the offers and the request', () => {
    new WebSocketUpgrade(() => {}, {
      maxPayload: 1024,
      compression: { threshold: 0 },
      protocols: (offered, request) => {
        expect(offered).type.toBe<string[]>()
        expect(request.headers).type.toBe<FastifyRequest['headers']>()
        return offered[0]
      },
      headers: { 'x-a': 'b', 'x-n': 1, 'x-list': ['a', 'b'] },
      pingInterval: null,
      allowedOrigins: (origin) => origin.endsWith('.example'),
      maxBufferedEvents: 16,
      maxBufferedBytes: 65536
    })
    new WebSocketUpgrade(() => {}, { protocols: ['chat.v1'], allowAnyOrigin: true })
    expect(WebSocketUpgrade).type.not.toBeConstructableWith(() => {}, { maxPayload: '1' })
    expect(WebSocketUpgrade).type.not.toBeConstructableWith(() => {}, { protocols: 'chat' })
    expect(WebSocketUpgrade).type.not.toBeConstructableWith(() => {}, { allowedOrigins: (origin: string) => origin })
    expect<WebSocketOptions['compression']>().type.toBe<boolean | PerMessageDeflateOptions | undefined>()
  })
  test('the plugin takes the same options as defaults', () => {
    expect(app.register).type.toBeCallableWith(relic, { pingInterval: 30_000, allowedOrigins: ['https://a.example'], gracePeriod: 1000 })
    expect(app.register).type.not.toBeCallableWith(relic, { pingInterval: '30s' })
  })
  test('the socket\'s flow control and heartbeat; the connection count', () => {
    new WebSocketUpgrade(async (ws) => {
      expect(ws.bufferedAmount).type.toBe<number>()
      expect(ws.drained()).type.toBe<Promise<void>>()
      expect(ws.pingInterval).type.toBe<number | null>()
      ws.pingInterval = 1000
      ws.pingInterval = null
    })
    expect(app.relic.connections).type.toBe<number>()
    expect(app.relic).type.toBe<RelicFacade>()
  })
})

describe('EventStream', () => {
  test('a result; the events and options are typed', () => {
    app.relic.get('/events', () => new EventStream(async (events) => {
      expect(events).type.toBe<ServerSentEvents>()
      expect(events.send({ data: { any: 'json' }, event: 'e', id: '1', retry: 10 })).type.toBe<Promise<boolean>>()
      expect(events.comment('hi')).type.toBe<Promise<boolean>>()
      expect(events.lastEventId).type.toBe<string | undefined>()
      expect(events.done).type.toBe<Promise<void>>()
      expect(events.signal).type.toBe<AbortSignal>()
      expect(events.send).type.not.toBeCallableWith({ event: 'no data' })
      expect(events.send).type.not.toBeCallableWith({ data: 'x', id: 1 })
    }, { heartbeat: null, replay: new MemoryReplayStore({ size: 10 }) }))
    const store: ReplayStore = { append: async () => {}, since: async () => [] }
    new EventStream(() => {}, { replay: store })
    expect(EventStream).type.not.toBeConstructableWith(() => {}, { heartbeat: '15s' })
  })
  test('the hijack channel writes a checked head and waits for drain', () => {
    new Hijack((channel) => {
      expect(channel.writeHead(200, { 'Content-Type': 'text/plain', 'x-n': 1, 'x-list': ['a'], 'x-gone': undefined })).type.toBe<void>()
      expect(channel.drained()).type.toBe<Promise<void>>()
      expect(channel.writeHead).type.not.toBeCallableWith(200, { 'x-bad': true })
    })
  })
})

describe('topics', () => {
  test('subscribe and publish on sockets, streams and the app', () => {
    new WebSocketUpgrade((ws) => {
      ws.subscribe('room')
      ws.unsubscribe('room')
      expect(ws.topics).type.toBe<ReadonlySet<string>>()
      ws.publish('room', { any: 'json' })
      ws.publish('room', new Uint8Array(1))
    })
    new EventStream((events) => {
      events.subscribe('news')
      expect(events.topics).type.toBe<ReadonlySet<string>>()
    })
    app.relic.publish('news', 'text', { event: 'headline' })
    expect(app.relic.subscribers('news')).type.toBe<number>()
    expect(app.relic.publish).type.not.toBeCallableWith('news', 'x', { event: 1 })
  })
  test('the Redis backplane from the subpath, and the plugin options', () => {
    const pubsub = redis({ url: 'redis://127.0.0.1:6379', prefix: 'app:' })
    expect(pubsub.stats.outages).type.toBe<number>()
    expect(pubsub).type.toBeAssignableTo<PubSub>()
    expect(app.register).type.toBeCallableWith(relic, { pubsub, topicBufferLimit: 1 << 20 })
    expect(redis).type.not.toBeCallableWith({ url: 6379 })
  })
})

describe('the hijack channel', () => {
  test('sink, stream and socket', () => {
    const channel = {} as HijackChannel
    expect(channel.sink.add('text')).type.toBe<boolean>()
    expect(channel.sink.add(new Uint8Array(1))).type.toBe<boolean>()
    expect(channel.sink.add).type.not.toBeCallableWith(42)
    expect(channel.sink.close()).type.toBe<Promise<void>>()
    expect(channel.sink.done).type.toBe<Promise<void>>()
    expect(channel.stream).type.toBe<AsyncIterable<Uint8Array>>()
    expect(channel.socket).type.toBe<Socket>()
  })
})

describe('RelicApp', () => {
  test('routes chain on the app and type their params', async () => {
    const standalone = new RelicApp({ logger: false })
    expect(standalone.get('/u/:id', (request) => {
      expect(request.params.id).type.toBe<string>()
      return 'ok'
    })).type.toBe<RelicApp>()
    expect(await standalone.serve({ port: 0 })).type.toBe<string>()
    expect(standalone.fastify).type.toBe<FastifyInstance>()
  })
})
