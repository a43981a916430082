// What `npm run bench` measures. A scenario runs each of its variants as a server in its own
// process against one load generator, and compares each variant with the ones it lists.
// Adding a scenario (SSE EventStream, the WebSocket flood, topics) is an entry here plus, where
// needed, a server variant in variants.ts and a load mode in load.ts.

export type Metric = 'ops' | 'cpu' | 'p99' | 'rssPerConn' | 'heapPerConn' | 'rssGrowth'

export interface Target {
  variant: string
  /** Compared with this variant, or with the best of several; none: `max` is an absolute bound. */
  baseline?: string | string[]
  metric: Metric
  /** The ratio variant / baseline must be at least (`min`) or at most (`max`) this. */
  min?: number
  max?: number
}

export interface Scenario {
  name: string
  mode: 'http' | 'ws-echo' | 'ws-connect' | 'ws-idle' | 'sse' | 'ws-flood' | 'pubsub'
  /** Load connections (ws-idle: connections held open). */
  connections: number
  /** Each variant's row shows its ratio to each variant listed here. */
  compare: Record<string, string[]>
  /**
   * Run all variants at once, each server in its own process on the server core, against one
   * load generator that gives each the same connections. Rates are then shares of one core, and
   * their ratios are the servers' relative costs, measured in the same seconds.
   */
  together?: boolean
  /** ws-echo: open loop, each connection sending a message every this many ms. */
  interval?: number
  targets: Target[]
}

// fastify-relic's WebSocket route against @fastify/websocket and raw ws.
const WS_COMPARE: Record<string, string[]> = { 'relic-ws': ['fastify-ws', 'raw-ws'], 'fastify-ws': ['raw-ws'], 'raw-ws': [] }
// The echo adds the listener style, and a bare `for await` over raw ws: the language's own cost.
const ECHO_COMPARE: Record<string, string[]> = {
  ...WS_COMPARE,
  'relic-ws': ['fastify-ws', 'raw-ws', 'raw-ws-for-await'],
  'relic-ws-listen': ['fastify-ws', 'raw-ws'],
  'raw-ws-for-await': ['raw-ws']
}

export const scenarios: Scenario[] = [
  {
    // Side by side in pairs: one autocannon process loads two servers fully, but not four or six
    // (their CPU per request then doubles, and means nothing).
    name: 'http',
    mode: 'http',
    connections: 50,
    together: true,
    compare: { 'relic-object': ['fastify-object'], 'fastify-object': [] },
    targets: [{ variant: 'relic-object', baseline: 'fastify-object', metric: 'cpu', max: 1.03 }]
  },
  {
    name: 'http-response',
    mode: 'http',
    connections: 50,
    together: true,
    compare: { 'relic-response': ['fastify-response'], 'fastify-response': [] },
    targets: [{ variant: 'relic-response', baseline: 'fastify-response', metric: 'cpu', max: 1.03 }]
  },
  {
    // What registering fastify-relic costs a plain route, and Fastify against raw node:http: one
    // after another, so within this machine's noise (±10% from run to run).
    name: 'http-baselines',
    mode: 'http',
    connections: 50,
    compare: { 'fastify+relic-object': ['fastify-object'], 'fastify-object': ['node-http'], 'fastify-response': ['node-http'], 'node-http': [] },
    targets: []
  },
  {
    name: 'ws-echo',
    mode: 'ws-echo',
    connections: 50,
    // Side by side: this machine's speed drifts by up to 2× within a minute (a shared VM), which
    // moved the ratios of variants run one after the other between 0.7× and 1.3×; run together,
    // they hold within a few percent.
    together: true,
    compare: ECHO_COMPARE,
    targets: [
      { variant: 'relic-ws', baseline: 'fastify-ws', metric: 'ops', min: 0.95 },
      { variant: 'relic-ws', baseline: 'raw-ws', metric: 'ops', min: 0.90 },
      { variant: 'relic-ws', baseline: ['fastify-ws', 'raw-ws'], metric: 'p99', max: 1.10 }
    ]
  },
  {
    // The same echo at one offered load, the same for every server (4,000 messages/s each), below
    // saturation: the CPU per message compares at equal batching, where the closed loop above lets
    // a server's speed change how many messages each wake-up finds.
    name: 'ws-echo-paced',
    mode: 'ws-echo',
    connections: 20,
    interval: 5,
    together: true,
    compare: ECHO_COMPARE,
    // The relic layer's own cost, like for like: `for await` against a bare `for await` over raw
    // ws (a promise and a microtask per message are the language's), `listen` against callbacks.
    targets: [
      { variant: 'relic-ws', baseline: 'raw-ws-for-await', metric: 'cpu', max: 1.05 },
      { variant: 'relic-ws-listen', baseline: 'fastify-ws', metric: 'cpu', max: 1.05 }
    ]
  },
  {
    name: 'ws-connect',
    mode: 'ws-connect',
    connections: 10,
    // Side by side too, for the same reason as ws-echo.
    together: true,
    compare: WS_COMPARE,
    targets: [{ variant: 'relic-ws', baseline: 'fastify-ws', metric: 'ops', min: 0.90 }]
  },
  {
    name: 'ws-idle',
    mode: 'ws-idle',
    connections: 5000,
    compare: WS_COMPARE,
    targets: [
      { variant: 'relic-ws', baseline: 'fastify-ws', metric: 'rssPerConn', max: 1.10 },
      { variant: 'relic-ws', baseline: 'fastify-ws', metric: 'heapPerConn', max: 1.10 }
    ]
  },
  {
    name: 'ws-flood',
    mode: 'ws-flood',
    connections: 1,
    compare: { 'relic-ws-slow': ['fastify-ws-slow'], 'fastify-ws-slow': [] },
    // Server RSS growth during a 100 MiB flood, in bytes: bounded, where the baseline grows.
    targets: [{ variant: 'relic-ws-slow', metric: 'rssGrowth', max: 100 * 2 ** 20 }]
  },
  {
    name: 'pubsub',
    mode: 'pubsub',
    connections: 1000,
    // One publish fanned out to 1,000 sockets: in-process against a raw ws broadcast loop, and
    // through Redis (run.ts starts a redis-server when there is one) against in-process.
    compare: { 'relic-pubsub': ['raw-ws-broadcast'], 'relic-pubsub-redis': ['relic-pubsub'], 'raw-ws-broadcast': [] },
    targets: []
  },
  {
    name: 'sse',
    mode: 'sse',
    connections: 100,
    compare: { 'relic-event-stream': ['node-sse'], 'relic-hijack-sse': ['node-sse'], 'node-sse': [] },
    targets: [{ variant: 'relic-event-stream', baseline: 'node-sse', metric: 'ops', min: 1.0 }]
  }
]
