// What the benchmark's processes tell each other over their IPC channels.

/** What a server process measures of itself. */
export interface ServerStats {
  /** User plus system CPU time since the process started, microseconds. */
  cpu: number
  rss: number
  heapUsed: number
  /** Peak resident set size so far, bytes. */
  maxRss: number
}

/** What a load generator reports for one run. */
export interface LoadResult {
  /** Operations completed: requests, echoed messages, handshakes or events. */
  ops: number
  seconds: number
  /** Latency percentiles in milliseconds, where the scenario has a latency. */
  p50?: number
  p99?: number
  errors: number
  /** Open connections held (ws-idle). */
  connections?: number
}

export type ServerMessage = { type: 'ready', port: number } | { type: 'stats', stats: ServerStats }
export type ServerCommand = { type: 'stats', gc?: boolean }

export function serverStats (): ServerStats {
  const usage = process.cpuUsage()
  const memory = process.memoryUsage()
  return {
    cpu: usage.user + usage.system,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    maxRss: process.resourceUsage().maxRSS * 1024
  }
}
