import t from 'tap'
import { readFileSync } from 'node:fs'
import { errors } from '../lib/index.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const table = new Map([...readme.matchAll(/^\| `(FST_ERR_RELIC_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1] as string, Number(m[2])]))

t.test('every error is a coded @fastify/error listed in the README with its status', async (t) => {
  const codes = new Set<string>()
  for (const [key, ErrorClass] of Object.entries(errors)) {
    const error = new (ErrorClass as new (...args: unknown[]) => { code: string, statusCode: number, name: string })('x', 'y')
    t.match(error.code, /^FST_ERR_RELIC_/, key)
    t.equal(error.name, 'FastifyError')
    t.ok(error instanceof Error)
    t.equal(table.get(error.code), error.statusCode, `${error.code} in the README with status ${error.statusCode}`)
    codes.add(error.code)
  }
  t.same([...table.keys()].filter((code) => !codes.has(code)), [], 'no README row without an error')
})
