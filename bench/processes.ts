// Starting the benchmark's server and load processes, each pinned to its own core when taskset
// is there, so that the load generator does not steal the server's CPU.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { LoadResult, ServerMessage, ServerStats } from './protocol.js'

const SERVER_CORE = '0'
const LOAD_CORE = '1'
const pinning = spawnSync('taskset', ['-c', '0', 'true']).status === 0

function start (core: string, file: string, args: string[]): ChildProcess {
  const node = [process.execPath, '--expose-gc', '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...args]
  const [command, ...rest] = pinning ? ['taskset', '-c', core, ...node] : node
  return spawn(command as string, rest, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
}

function next<T> (child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }): void => {
      if (message.type !== type) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(message as T)
    }
    const onExit = (code: number | null): void => reject(new Error(`process exited with ${code} before sending ${type}`))
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

export interface Server {
  port: number
  stats: (gc?: boolean) => Promise<ServerStats>
  stop: () => Promise<void>
}

export async function startServer (variant: string): Promise<Server> {
  const child = start(SERVER_CORE, './server.ts', [variant])
  const { port } = await next<Extract<ServerMessage, { type: 'ready' }>>(child, 'ready')
  return {
    port,
    async stats (gc = false) {
      const reply = next<Extract<ServerMessage, { type: 'stats' }>>(child, 'stats')
      child.send({ type: 'stats', gc })
      return (await reply).stats
    },
    async stop () {
      const exited = once(child, 'exit')
      child.disconnect()
      await exited
    }
  }
}

export interface Load {
  /** ws-idle: resolves once the connections are open. */
  holding: Promise<unknown>
  release: () => void
  /** One result per port, in the order given. */
  results: Promise<LoadResult[]>
}

export function startLoad (mode: string, ports: number[], options: { seconds: number, connections: number, interval?: number | undefined }): Load {
  const child = start(LOAD_CORE, './load.ts', [mode, ports.join(','), JSON.stringify(options)])
  const results = next<{ results: LoadResult[] }>(child, 'results').then((message) => message.results)
  return {
    holding: mode === 'ws-idle' ? next(child, 'holding') : Promise.resolve(),
    release: () => child.send({ type: 'release' }),
    results
  }
}

export const pinned: boolean = pinning
