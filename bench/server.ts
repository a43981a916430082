// One benchmark server in its own process: `server.ts <variant>`. It reports its port, then
// answers `stats` requests (after a full GC when asked) until the runner disconnects.
import { serverStats, type ServerCommand, type ServerMessage } from './protocol.js'
import { variants } from './variants.js'

const name = process.argv[2] as string
const start = variants[name]
if (start === undefined) throw new Error(`unknown server variant ${name}`)

const send = (message: ServerMessage): void => { process.send?.(message) }
process.on('message', (command: ServerCommand) => {
  if (command.type === 'stats') {
    if (command.gc === true) for (let i = 0; i < 3; i++) globalThis.gc?.()
    send({ type: 'stats', stats: serverStats() })
  }
})
process.on('disconnect', () => process.exit(0))
send({ type: 'ready', port: await start() })
