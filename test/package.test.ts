import t from 'tap'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// The built package, as users load it: run in a plain node, without the test's source condition.
const root = fileURLToPath(new URL('..', import.meta.url))

function run (args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH } }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(stderr))
      else resolve(stdout.trim())
    })
  })
}

t.test('import gives the default export and the named fastifyRelic', async (t) => {
  const out = await run(['--input-type=module', '-e', `
    import relic, { fastifyRelic, WebSocketUpgrade, Hijack, RelicApp } from 'fastify-relic'
    import Fastify from 'fastify'
    const app = Fastify()
    await app.register(relic)
    console.log(relic === fastifyRelic, typeof app.relic.get, typeof WebSocketUpgrade, typeof Hijack, typeof RelicApp)
    await app.close()`])
  t.equal(out, 'true function function function function')
})

t.test('require gives default and fastifyRelic, and registers as it is', async (t) => {
  const out = await run(['-e', `
    const relic = require('fastify-relic')
    const app = require('fastify')()
    app.register(relic).ready().then(() => {
      console.log(relic.default === relic.fastifyRelic, typeof relic.WebSocketUpgrade, typeof app.relic.get)
      return app.close()
    })`])
  t.equal(out, 'true function function')
})
