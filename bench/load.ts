// One load generator in its own process: `load.ts <mode> <port> <json options>`. It reports a
// LoadResult over IPC. ws-idle reports once its connections are open, then holds them until
// the runner says `release`.
import { request } from 'node:http'
import autocannon from 'autocannon'
import WebSocket from 'ws'
import type { LoadResult } from './protocol.js'
import { percentile } from './stats.js'
import { SSE_EVENT } from './variants.js'

interface Options { seconds: number, connections: number }
type Mode = (port: number, options: Options) => Promise<LoadResult>

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

  // Closed loop: every connection sends its next message when the echo of the last arrives.
  async 'ws-echo' (port, { seconds, connections }) {
    const sockets = await Promise.all(Array.from({ length: connections }, () => open(`ws://127.0.0.1:${port}/`)))
    const samples = new Samples()
    let running = true
    let ops = 0
    const started = performance.now()
    await Promise.all(sockets.map((ws) => new Promise<void>((resolve) => {
      let sent = performance.now()
      ws.on('message', () => {
        const now = performance.now()
        samples.add(now - sent)
        ops++
        if (!running) return resolve()
        sent = now
        ws.send(MESSAGE)
      })
      ws.send(MESSAGE)
    })).concat(new Promise<void>((resolve) => setTimeout(() => { running = false; resolve() }, seconds * 1000))))
    const elapsed = (performance.now() - started) / 1000
    for (const ws of sockets) ws.terminate()
    return { ops, seconds: elapsed, p50: percentile(samples.taken, 50), p99: percentile(samples.taken, 99), errors: 0 }
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

const [mode, port, options] = process.argv.slice(2) as [string, string, string]
const run = modes[mode]
if (run === undefined) throw new Error(`unknown load mode ${mode}`)
const result = await run(Number(port), JSON.parse(options) as Options)
process.send?.({ type: 'result', result })
process.disconnect?.()
