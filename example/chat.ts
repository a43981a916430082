// A chat room on topics: every browser tab connected to /chat gets what the others say. With
// REDIS_URL set, rooms span every process started that way.
//   npx tsx --conditions=fastify-relic-source example/chat.ts            (PORT=8082 by default)
//   REDIS_URL=redis://127.0.0.1:6379 PORT=8083 npx tsx --conditions=fastify-relic-source example/chat.ts
import { pathToFileURL } from 'node:url'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import relic, { WebSocketUpgrade } from 'fastify-relic'
import { redis } from 'fastify-relic/redis'

const ROOM = 'chat'
const MAX_TEXT = 500

/** The chat route: a message `{ name, text }` goes to everyone else in the room. */
export function chatRoute (app: FastifyInstance): FastifyInstance {
  return app.relic.get('/chat', () => new WebSocketUpgrade(async (ws) => {
    ws.subscribe(ROOM)
    for await (const event of ws.events) {
      if (event.type !== 'text') continue
      let message: { name?: unknown, text?: unknown }
      try {
        message = JSON.parse(event.text) as typeof message
      } catch {
        ws.close(4400, 'messages are JSON: { name, text }')
        return
      }
      const name = String(message.name ?? 'guest').slice(0, 40)
      const text = String(message.text ?? '').slice(0, MAX_TEXT)
      ws.publish(ROOM, { name, text })
    }
  }))
}

const CHAT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fastify-relic chat</title></head>
<body><h1>Chat</h1><input id="name" value="guest"> <input id="text" value="hi"> <button id="send">Send</button><ul id="log"></ul>
<script>
const $ = (id) => document.getElementById(id)
const chat = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/chat')
const log = (line) => { const li = document.createElement('li'); li.textContent = line; $('log').append(li) }
chat.onmessage = (event) => { const { name, text } = JSON.parse(event.data); log(name + ': ' + text) }
$('send').onclick = () => { chat.send(JSON.stringify({ name: $('name').value, text: $('text').value })); log('me: ' + $('text').value) }
</script></body></html>`

export async function build (options: FastifyServerOptions & { redisUrl?: string } = {}): Promise<FastifyInstance> {
  const { redisUrl, ...fastifyOptions } = options
  const app = Fastify(fastifyOptions)
  await app.register(relic, redisUrl === undefined ? {} : { pubsub: redis({ url: redisUrl }) })
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(CHAT_PAGE))
  return chatRoute(app)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = await build({ logger: true, redisUrl: process.env.REDIS_URL })
  const address = await app.listen({ port: Number(process.env.PORT ?? 8082), host: process.env.HOST ?? '127.0.0.1' })
  console.log(`fastify-relic chat on ${address}`)
}
