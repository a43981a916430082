// Turns the runs into one table per scenario (medians), the ratios to the baselines measured in
// the same run, and a line per target.
import type { LoadResult } from './protocol.js'
import type { Metric, Scenario, Target } from './scenarios.js'
import { format, median } from './stats.js'

export interface Run extends LoadResult {
  variant: string
  /** Which round of the scenario: variants of one round ran back to back. */
  run: number
  /** Server CPU per operation, microseconds. */
  cpu?: number
  maxRss: number
  rssPerConn?: number
  heapPerConn?: number
  /** Peak RSS above the RSS before the load, bytes. */
  rssGrowth?: number
}

type Summary = Record<Metric | 'maxRss' | 'p50' | 'sent', number>

const PICK: Record<Metric, (run: Run) => number | undefined> = {
  ops: (r) => r.seconds > 0 ? r.ops / r.seconds : undefined,
  cpu: (r) => r.cpu,
  p99: (r) => r.p99,
  rssPerConn: (r) => r.rssPerConn,
  heapPerConn: (r) => r.heapPerConn,
  rssGrowth: (r) => r.rssGrowth
}

function summarise (runs: Run[]): Summary {
  const of = (pick: (run: Run) => number | undefined): number => median(runs.map(pick).filter((v): v is number => v !== undefined))
  return {
    ops: of(PICK.ops),
    cpu: of(PICK.cpu),
    p50: of((r) => r.p50),
    p99: of(PICK.p99),
    maxRss: of((r) => r.maxRss),
    rssPerConn: of(PICK.rssPerConn),
    heapPerConn: of(PICK.heapPerConn),
    rssGrowth: of(PICK.rssGrowth),
    sent: of((r) => r.ops)
  }
}

// The median of the ratios of runs of the same round: a machine that drifts (a noisy neighbour,
// a warming CPU) moves both sides of a round together, and the ratio holds.
function pairedRatio (runs: Run[], variant: string, baseline: string, metric: Metric): number {
  const ratios: number[] = []
  for (const run of runs) {
    if (run.variant !== variant) continue
    const other = runs.find((r) => r.variant === baseline && r.run === run.run)
    const a = PICK[metric](run)
    const b = other === undefined ? undefined : PICK[metric](other)
    if (a !== undefined && b !== undefined && b > 0) ratios.push(a / b)
  }
  return median(ratios)
}

// Which way is better, per metric: more operations, less of everything else.
const HIGHER_IS_BETTER: Record<Metric, boolean> = { ops: true, cpu: false, p99: false, rssPerConn: false, heapPerConn: false, rssGrowth: false }
const LABEL: Record<Metric, string> = { ops: 'rate', cpu: 'CPU/op', p99: 'p99', rssPerConn: 'RSS/conn', heapPerConn: 'heap/conn', rssGrowth: 'RSS growth' }

function ratio (runs: Run[], summaries: Record<string, Summary>, variant: string, baseline: string | string[], metric: Metric): { value: number, against: string } {
  const candidates = Array.isArray(baseline) ? baseline : [baseline]
  // Against several baselines, the best of them.
  const best = candidates.reduce((a, b) => {
    const better = HIGHER_IS_BETTER[metric] ? summaries[b]![metric] > summaries[a]![metric] : summaries[b]![metric] < summaries[a]![metric]
    return better ? b : a
  })
  return { value: pairedRatio(runs, variant, best, metric), against: best }
}

// Per mode: the columns, a row's cells, and the metrics its ratios show.
const LAYOUT: Record<'throughput' | 'idle' | 'flood', { header: string[], cells: (s: Summary) => string[], metrics: Metric[] }> = {
  throughput: {
    header: ['variant', 'ops/s', 'p50 ms', 'p99 ms', 'CPU µs/op', 'peak RSS MB'],
    cells: (s) => [format(s.ops), format(s.p50, 2), format(s.p99, 2), format(s.cpu, 1), format(s.maxRss / 2 ** 20)],
    metrics: ['ops', 'cpu']
  },
  idle: {
    header: ['variant', 'RSS KB/conn', 'heap KB/conn', 'peak RSS MB'],
    cells: (s) => [format(s.rssPerConn / 1024, 1), format(s.heapPerConn / 1024, 1), format(s.maxRss / 2 ** 20)],
    metrics: ['rssPerConn', 'heapPerConn']
  },
  flood: {
    header: ['variant', 'MiB sent', 'RSS growth MB', 'peak RSS MB'],
    cells: (s) => [format(s.sent / 1024), format(s.rssGrowth / 2 ** 20), format(s.maxRss / 2 ** 20)],
    metrics: ['rssGrowth']
  }
}

function table (scenario: Scenario, runs: Run[], summaries: Record<string, Summary>): string[] {
  const layout = LAYOUT[scenario.mode === 'ws-idle' ? 'idle' : scenario.mode === 'ws-flood' ? 'flood' : 'throughput']
  const header = [...layout.header, 'ratios']
  const rows = Object.entries(scenario.compare).map(([variant, baselines]) => {
    const s = summaries[variant] as Summary
    const ratios = baselines.map((b) => `vs ${b}: ${layout.metrics.map((m) => `${format(ratio(runs, summaries, variant, b, m).value, 2)}× ${LABEL[m]}`).join(', ')}`).join('; ')
    return [variant, ...layout.cells(s), ratios]
  })
  const lines = [header, ...rows]
  const widths = header.map((_, i) => Math.max(...lines.map((row) => (row[i] as string).length)))
  return lines.map((row) => row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i] as number)).join('  '))
}

function check (scenario: Scenario, runs: Run[], summaries: Record<string, Summary>, target: Target): { ok: boolean, line: string } {
  if (target.baseline === undefined) {
    const value = (summaries[target.variant] as Summary)[target.metric]
    const ok = value <= (target.max as number)
    return { ok, line: `${ok ? 'PASS' : 'MISS'}  ${scenario.name}: ${target.variant} ${LABEL[target.metric]} ${format(value / 2 ** 20)} MB (target ≤ ${format((target.max as number) / 2 ** 20)} MB)` }
  }
  const { value, against } = ratio(runs, summaries, target.variant, target.baseline, target.metric)
  const ok = (target.min === undefined || value >= target.min) && (target.max === undefined || value <= target.max)
  const bound = target.min !== undefined ? `≥ ${target.min}` : `≤ ${target.max}`
  return { ok, line: `${ok ? 'PASS' : 'MISS'}  ${scenario.name}: ${target.variant} ${LABEL[target.metric]} ${format(value, 2)}× ${against} (target ${bound})` }
}

export function report (chosen: Scenario[], results: Record<string, Run[]>, meta: { runs: number, seconds: number, machine: string }): { text: string, missed: number } {
  const out = [`fastify-relic benchmark: ${meta.machine}; medians of ${meta.runs} runs of ${meta.seconds} s;`,
    'ratios are medians of the ratios within each round of runs', '']
  const targets: string[] = []
  let missed = 0
  for (const scenario of chosen) {
    const runs = results[scenario.name] as Run[]
    const summaries: Record<string, Summary> = {}
    for (const variant of Object.keys(scenario.compare)) summaries[variant] = summarise(runs.filter((r) => r.variant === variant))
    const errors = runs.reduce((sum, r) => sum + r.errors, 0)
    const notes = [`${scenario.connections} connections${scenario.together === true ? ' each, variants side by side on one core' : ''}`]
    if (errors > 0) notes.push(`${errors} errors`)
    out.push(`## ${scenario.name} (${notes.join(', ')})`, ...table(scenario, runs, summaries), '')
    for (const target of scenario.targets) {
      const { ok, line } = check(scenario, runs, summaries, target)
      if (!ok) missed++
      targets.push(line)
    }
  }
  if (targets.length > 0) out.push('targets:', ...targets.map((line) => `  ${line}`))
  return { text: out.join('\n'), missed }
}
