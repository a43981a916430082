// Shared test plumbing: an app per test, closed in teardown; real clients, closed by the test.
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable } from 'node:stream'
import { Writable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import WebSocket from 'ws'
import relic, { type FastifyRelicOptions } from '../lib/index.js'

interface Teardown { teardown: (fn: () => unknown) => void }

export interface LogLine { level: number, msg: string, reqId?: string, err?: { message: string, type: string }, [key: string]: unknown }

/** A Fastify app with fastify-relic registered, closed when the test ends. */
export async function build (t: Teardown, options: { fastify?: FastifyServerOptions, relic?: FastifyRelicOptions } = {}): Promise<FastifyInstance> {
  const app = Fastify(options.fastify)
  t.teardown(() => app.close())
  await app.register(relic, options.relic ?? {})
  return app
}

/** Fastify logger options that collect every line at debug level and above into `lines`. */
export function captureLogs (): { logger: { level: string, stream: Writable }, lines: LogLine[] } {
  const lines: LogLine[] = []
  const stream = new Writable({
    write (chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line))
      callback()
    }
  })
  return { logger: { level: 'debug', stream }, lines }
}

/** Listens on an ephemeral port; returns the http:// and ws:// base URLs. */
export async function listen (app: FastifyInstance): Promise<{ http: string, ws: string, port: number }> {
  const http = await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  return { http, ws: http.replace('http', 'ws'), port }
}

// What each client received, recorded from its first moment: a message can arrive in the same
// packet as the 101 and be emitted before an `await connect()` continues.
const inbox = new WeakMap<WebSocket, { items: string[], wake: () => void }>()

/** A `ws` client that is open, and terminated at teardown if the test left it open. */
export async function connect (t: Teardown, url: string, options?: WebSocket.ClientOptions, protocols?: string[]): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, options)
  t.teardown(() => ws.terminate())
  const box = { items: [] as string[], wake: () => {} }
  inbox.set(ws, box)
  ws.on('message', (data) => {
    box.items.push(data.toString())
    box.wake()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  return ws
}

/** Resolves with the next `count` messages a `connect()`ed client received, as strings. */
export async function messages (ws: WebSocket, count: number): Promise<string[]> {
  const box = inbox.get(ws) as { items: string[], wake: () => void }
  while (box.items.length < count) await new Promise<void>((resolve) => { box.wake = resolve })
  return box.items.splice(0, count)
}

/** Resolves with the close code and reason the client sees. */
export function closed (ws: WebSocket): Promise<{ code: number, reason: string }> {
  return new Promise((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
}

/** Resolves when `check()` becomes true, polling briefly; rejects after `ms`. */
export async function until (check: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

// What this process holds (heap plus Buffers), after a full collection so that garbage awaiting
// one does not count. --expose-gc set at run time: tap starts test files without it.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
function held (): number {
  gc()
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return heapUsed + arrayBuffers
}

/** Samples what this process holds every 100 ms; `stop()` returns the peak growth in bytes. */
export function memoryPeak (): { stop: () => number } {
  const baseline = held()
  let peak = baseline
  const timer = setInterval(() => { peak = Math.max(peak, held()) }, 100)
  return { stop: () => { clearInterval(timer); return Math.max(peak, held()) - baseline } }
}

/**
 * Runs a TypeScript file of this project in a process of its own, stopped at teardown. Without
 * tap's coverage hooks: this process covers the same code, and a second, tsx-compiled copy of
 * it garbles the coverage report.
 */
export function spawnTs (t: Teardown, file: string, args: string[] = [], env: Record<string, string> = {}): ChildProcessByStdio<null, Readable, null> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=fastify-relic-source', file, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0' }
  })
  t.teardown(() => { child.kill() })
  return child
}
