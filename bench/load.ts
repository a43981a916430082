// One load generator in its own process: `load.ts <mode> <ports> <json options>`. It reports a
// LoadResult per port over IPC. With several ports the servers are loaded side by side (see
// `together` in scenarios.ts). ws-idle reports once its connections are open, then
// holds them until the runner says `release`. Run by hand, without the runner, it prints them.
import { request } from 'node:http'
import autocannon from 'autocannon'
import WebSocket from 'ws'
import type { LoadResult } from './protocol.js'
import { percentile } from './stats.js'
import { SSE_EVENT } from './variants.js'

interface Options { seconds: number, connections: number, interval?: number }
type Mode = (port: number, options: Options) => Promise<LoadResult>
type ManyMode = (ports: number[], options: Options) => Promise<LoadResult[]>

const MESSAGE = 'x'.repeat(64)

function open (url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

/** Latency samples in a fixed buffer: enough for percentiles, no growth during the run. */
class Samples {
  values = new Float64Array(1 << 20)
  count = 0
  add (ms: number): void { this.values[this.count++ & (this.values.length - 1)] = ms }
  get taken (): Float64Array { return this.values.subarray(0, Math.min(this.count, this.values.length)) }
}

const modes: Record<string, Mode> = {
  async http (port, { seconds, connections }) {
    const result = await autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration: seconds })
    return {
      ops: result.requests.total, seconds, p50: result.latency.p50, p99: result.latency.p99,
      errors: result.errors + result.non2xx
    }
  },

  // Each worker: connect, one message and its echo, close; again until time is up.
  async 'ws-connect' (port, { seconds, connections }) {
    const samples = new Samples()
    const deadline = performance.now() + seconds * 1000
    let ops = 0
    let errors = 0
    await Promise.all(Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const start = performance.now()
        try {
          const ws = await open(`ws://127.0.0.1:${port}/`)
          await new Promise<void>((resolve) => {
            ws.once('message', () => { ws.close(); resolve() })
            ws.send(MESSAGE)
          })
          await new Promise((resolve) => ws.once('close', resolve))
          samples.add(performance.now() - start)
          ops++
        } catch {
          errors++
        }
      }
    }))
    return { ops, seconds, p50: percentile(samples.taken, 50), p99: percentile(samples.taken, 99), errors }
  },

  async 'ws-idle' (port, { connections }) {
    const sockets: WebSocket[] = []
    for (let i = 0; i < connections; i += 250) {
      const batch = Math.min(250, connections - i)
      sockets.push(...await Promise.all(Array.from({ length: batch }, () => open(`ws://127.0.0.1:${port}/`))))
    }
    process.send?.({ type: 'holding', connections: sockets.length })
    await new Promise((resolve) => process.once('message', resolve))
    for (const ws of sockets) ws.terminate()
    return { ops: 0, seconds: 0, errors: 0, connections: sockets.length }
  },

  // One client sends 1 KiB messages as fast as the connection takes them (it keeps at most 1 MiB
  // unsent), until 100 MiB are out or three times the run's seconds have passed.
  async 'ws-flood' (port, { seconds }) {
    const ws = await open(`ws://127.0.0.1:${port}/`)
    const message = Buffer.alloc(1024, 120)
    const total = 100 * 1024
    const deadline = performance.now() + seconds * 3000
    let ops = 0
    while (ops < total && performance.now() < deadline) {
      if (ws.bufferedAmount > 1 << 20) {
        await new Promise((resolve) => setTimeout(resolve, 1))
        continue
      }
      ws.send(message)
      ops++
    }
    ws.terminate()
    return { ops, seconds, errors: 0 }
  },

  // One publisher, `connections` subscribers. The publisher keeps 8 messages in flight: it sends
  // the next when the first subscriber gets one. Every message a subscriber gets is an op.
  async pubsub (port, { seconds, connections }) {
    const subscribers: WebSocket[] = []
    for (let opened = 0; opened < connections; opened += 100) {
      subscribers.push(...await Promise.all(Array.from({ length: Math.min(100, connections - opened) }, () => open(`ws://127.0.0.1:${port}/`))))
    }
    const publisher = await open(`ws://127.0.0.1:${port}/?pub`)
    // Subscriptions are made as the handshakes complete; give the last ones a moment.
    await new Promise((resolve) => setTimeout(resolve, 200))
    let ops = 0
    for (const ws of subscribers) ws.on('message', () => { ops++ })
    const samples = new Samples()
    const sentAt: number[] = []
    let running = true
    const send = (): void => { sentAt.push(performance.now()); publisher.send('x'.repeat(64)) }
    ;(subscribers[0] as WebSocket).on('message', () => {
      samples.add(performance.now() - (sentAt.shift() as number))
      if (running) send()
    })
    const started = performance.now()
    for (let i = 0; i < 8; i++) send()
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
    running = false
    const elapsed = (performance.now() - started) / 1000
    for (const ws of [...subscribers, publisher]) ws.terminate()
    return { ops, seconds: elapsed, p50: percentile(samples.taken, 50), p99: percentile(samples.taken, 99), errors: 0 }
  },

  // Clients read as fast as they can; events are counted by the bytes of the body.
  async sse (port, { seconds, connections }) {
    let bytes = 0
    let errors = 0
    const responses: { destroy: () => void }[] = []
    for (let i = 0; i < connections; i++) {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
        response.on('data', (chunk: Buffer) => { bytes += chunk.length })
        response.on('error', () => {})
      })
      req.on('error', () => { errors++ })
      req.end()
      responses.push(req)
    }
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
    const ops = Math.floor(bytes / SSE_EVENT.length)
    for (const req of responses) req.destroy()
    return { ops, seconds, errors }
  }
}

// Closed loop: every connection sends its next message when the echo of the last arrives. Or,
// with `interval`, open loop: every connection sends one every `interval` ms whatever the echoes
// do, so that each server meets the same offered load (its CPU per message then compares at
// equal batching). With several ports, each gets `connections` of its own, all driven by this one
// event loop, so that the servers meet the same client at the same moments.
const wsEcho: ManyMode = async (ports, { seconds, connections, interval }) => {
  const servers = await Promise.all(ports.map(async (port) => ({
    sockets: await Promise.all(Array.from({ length: connections }, () => open(`ws://127.0.0.1:${port}/`))),
    samples: new Samples(),
    ops: 0
  })))
  interface Connection { server: typeof servers[number], ws: WebSocket, sent: number[], drained: () => void }
  const all: Connection[] = servers.flatMap((server) => server.sockets.map((ws) => ({ server, ws, sent: [], drained: () => {} })))
  const send = (connection: Connection): void => {
    connection.sent.push(performance.now())
    connection.ws.send(MESSAGE)
  }
  let running = true
  for (const connection of all) {
    connection.ws.on('message', () => {
      connection.server.samples.add(performance.now() - (connection.sent.shift() as number))
      connection.server.ops++
      if (!running) {
        if (connection.sent.length === 0) connection.drained()
      } else if (interval === undefined) {
        send(connection)
      }
    })
  }
  const started = performance.now()
  let pacing: NodeJS.Timeout | undefined
  if (interval === undefined) {
    all.forEach(send)
  } else {
    // A tick each millisecond sends on the next share of the connections, so the load is spread
    // over the interval rather than sent in one burst.
    let next = 0
    const perTick = Math.ceil(all.length / interval)
    pacing = setInterval(() => {
      for (let i = 0; i < perTick; i++) send(all[next++ % all.length] as Connection)
    }, 1)
  }
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  running = false
  clearInterval(pacing)
  // The echoes still on their way; one that has not come within 5 s is an error (a lost message).
  const echoed = Promise.all(all.map((c) => c.sent.length === 0 ? undefined : new Promise<void>((resolve) => { c.drained = resolve })))
  await Promise.race([echoed, new Promise((resolve) => setTimeout(resolve, 5000).unref())])
  const elapsed = (performance.now() - started) / 1000
  return servers.map(({ sockets, samples, ops }) => {
    for (const ws of sockets) ws.terminate()
    const lost = all.reduce((sum, c) => c.server.sockets === sockets ? sum + c.sent.length : sum, 0)
    return { ops, seconds: elapsed, p50: percentile(samples.taken, 50), p99: percentile(samples.taken, 99), errors: lost }
  })
}

const [mode, ports, options] = process.argv.slice(2) as [string, string, string]
const portList = ports.split(',').map(Number)
const parsed = JSON.parse(options) as Options
const one = modes[mode]
if (one === undefined && mode !== 'ws-echo') throw new Error(`unknown load mode ${mode}`)
// Several ports: the servers are loaded at once, each by a load of its own in this process.
const results = one === undefined ? await wsEcho(portList, parsed) : await Promise.all(portList.map((port) => one(port, parsed)))
if (process.send === undefined) console.log(JSON.stringify(results))
else process.send({ type: 'results', results })
process.disconnect?.()
