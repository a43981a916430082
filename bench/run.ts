// `npm run bench [-- scenario ...] [--runs 3] [--seconds 5] [--variants a,b]`: each variant of each scenario,
// in rotating order or side by side, several short runs, medians. Prints one table and writes the raw results
// to bench/results/<time>.json.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { pinned, startLoad, startServer, type Server } from './processes.js'
import type { LoadResult, ServerStats } from './protocol.js'
import { report, type Run } from './report.js'
import { scenarios, type Scenario } from './scenarios.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    // Only these variants (for a closer look at two of them); ratios to the others are then absent.
    variants: { type: 'string' }
  }
})
const runs = Number(values.runs)
const seconds = Number(values.seconds)
const chosen = positionals.length === 0 ? scenarios : positionals.map((name) => {
  const scenario = scenarios.find((s) => s.name === name)
  if (scenario === undefined) throw new Error(`unknown scenario ${name}; known: ${scenarios.map((s) => s.name).join(', ')}`)
  if (values.variants === undefined) return scenario
  const only = new Set(values.variants.split(','))
  const compare = Object.fromEntries(Object.entries(scenario.compare)
    .filter(([variant]) => only.has(variant))
    .map(([variant, baselines]) => [variant, baselines.filter((b) => only.has(b))]))
  return { ...scenario, compare, targets: scenario.targets.filter((target) => only.has(target.variant) && [target.baseline ?? []].flat().every((b) => only.has(b))) }
})

async function measure (scenario: Scenario, variant: string, run: number): Promise<Run> {
  const server = await startServer(variant)
  if (scenario.mode !== 'ws-idle' && scenario.mode !== 'ws-flood') return (await measureThroughput(scenario, [variant], [server], run))[0] as Run
  try {
    const options = { seconds, connections: scenario.connections, interval: scenario.interval }
    if (scenario.mode === 'ws-idle') {
      const before = await server.stats(true)
      const load = startLoad(scenario.mode, [server.port], options)
      await load.holding
      const after = await server.stats(true)
      load.release()
      const [result] = await load.results as [LoadResult]
      const n = result.connections as number
      return { variant, run, ...result, rssPerConn: (after.rss - before.rss) / n, heapPerConn: (after.heapUsed - before.heapUsed) / n, maxRss: after.maxRss }
    }
    const before = await server.stats(true)
    const [result] = await startLoad(scenario.mode, [server.port], options).results as [LoadResult]
    const after = await server.stats()
    return { variant, run, ...result, rssGrowth: after.maxRss - before.rss, maxRss: after.maxRss }
  } finally {
    await server.stop()
  }
}

// Throughput of one server, or of several side by side against one load generator (`together`).
async function measureThroughput (scenario: Scenario, variants: string[], servers: Server[], run: number): Promise<Run[]> {
  try {
    const ports = servers.map((server) => server.port)
    const options = { seconds, connections: scenario.connections, interval: scenario.interval }
    // A short warm-up, so that the measured run sees optimised code.
    await startLoad(scenario.mode, ports, { ...options, seconds: 1 }).results
    const before = await Promise.all(servers.map((server) => server.stats()))
    const results = await startLoad(scenario.mode, ports, options).results
    const after = await Promise.all(servers.map((server) => server.stats()))
    return results.map((result, i) => ({
      variant: variants[i] as string,
      run,
      ...result,
      cpu: ((after[i] as ServerStats).cpu - (before[i] as ServerStats).cpu) / Math.max(1, result.ops),
      maxRss: (after[i] as ServerStats).maxRss
    }))
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}

// Each round: every variant on its own in rotating order, so that no variant always goes first
// (or last) on a warming machine; or, for a `together` scenario, all of them at once.
async function measureRound (scenario: Scenario, run: number): Promise<Run[]> {
  const variants = Object.keys(scenario.compare)
  if (scenario.together === true) {
    process.stderr.write(`${scenario.name} run ${run + 1}/${runs}: ${variants.join(', ')} side by side\n`)
    return await measureThroughput(scenario, variants, await Promise.all(variants.map(startServer)), run)
  }
  const results: Run[] = []
  for (let i = 0; i < variants.length; i++) {
    const variant = variants[(i + run) % variants.length] as string
    process.stderr.write(`${scenario.name} run ${run + 1}/${runs}: ${variant}\n`)
    results.push(await measure(scenario, variant, run))
  }
  return results
}

// The Redis variant needs a redis-server: one of its own on a free port, or none (the variant is
// then left out, with a note).
const redisVariant = 'relic-pubsub-redis'
let redisServer: ChildProcess | undefined
if (chosen.some((scenario) => redisVariant in scenario.compare)) {
  if (spawnSync('redis-server', ['--version']).status === 0) {
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    process.env.BENCH_REDIS_URL = `redis://127.0.0.1:${port}`
    await new Promise((resolve) => setTimeout(resolve, 500))
  } else {
    process.stderr.write(`redis-server not found: ${redisVariant} is left out\n`)
    for (const scenario of chosen) delete scenario.compare[redisVariant]
  }
}

const all: Record<string, Run[]> = {}
for (const scenario of chosen) {
  const results: Run[] = []
  for (let run = 0; run < runs; run++) results.push(...await measureRound(scenario, run))
  all[scenario.name] = results
}

redisServer?.kill()

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}` +
  `${pinned ? ', server and load pinned to separate cores' : ''}`
const { text, missed } = report(chosen, all, { runs, seconds, machine })
console.log(text)
mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
const file = new URL(`./results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url)
writeFileSync(file, JSON.stringify({ machine, runs, seconds, results: all }, null, 2))
console.log(`raw results: ${file.pathname}`)
process.exitCode = missed > 0 && process.env.BENCH_STRICT === '1' ? 1 : 0
