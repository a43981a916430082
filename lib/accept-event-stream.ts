import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { connectionsOf } from './connections.js'
import type { EventStream } from './event-stream.js'
import { formatStored } from './sse-format.js'
import { HIGH_WATER_MARK, ServerSentEvents, attachStream, endStream, streamPulled, writeRaw } from './server-sent-events.js'

const DEFAULT_HEARTBEAT = 15_000
const HEARTBEAT = ':\n\n'

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // nginx and others buffer responses unless told not to; an event must arrive when it is sent.
  'x-accel-buffering': 'no'
}

/**
 * Answers with a `text/event-stream` web Response whose body the callback writes through its
 * `ServerSentEvents`; Fastify sends it as any Response, through its hooks and logs.
 */
export function acceptEventStream (instance: FastifyInstance, stream: EventStream, request: FastifyRequest, reply: FastifyReply): Response {
  const connections = connectionsOf(instance)
  connections.refuseIfClosing(reply)
  // A HEAD asks for the head only: no stream, no callback.
  if (request.raw.method === 'HEAD') return new Response(null, { status: 200, headers: HEADERS })
  const lastEventId = request.headers['last-event-id']
  const events = new ServerSentEvents(typeof lastEventId === 'string' ? lastEventId : undefined, stream.options.replay, request.log, connections.topics)
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => { attachStream(events, controller) },
    pull: () => { streamPulled(events) },
    // The client left: Fastify cancels the body.
    cancel: () => { endStream(events, true) }
  }, { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength })
  connections.addStream(events, reply.raw)
  watchPeer(request, events)
  void run(stream, events, request)
  return new Response(body, { status: 200, headers: HEADERS })
}

// A client that leaves may only half-close (fetch does): Node's server then keeps the socket, and
// the endless response on it, open, and app.close() waits forever. Its FIN ends the stream.
function watchPeer (request: FastifyRequest, events: ServerSentEvents): void {
  const socket = request.raw.socket
  if (request.raw.httpVersionMajor !== 1) return
  const onEnd = (): void => { endStream(events, false) }
  socket.once('end', onEnd)
  void events.done.then(() => socket.off('end', onEnd))
}

async function run ({ callback, options }: EventStream, events: ServerSentEvents, request: FastifyRequest): Promise<void> {
  const interval = options.heartbeat === undefined ? DEFAULT_HEARTBEAT : options.heartbeat
  const heartbeat = interval === null ? undefined : setInterval(writeRaw, interval, events, HEARTBEAT).unref()
  try {
    if (options.replay !== undefined && events.lastEventId !== undefined) {
      for await (const missed of await options.replay.since(events.lastEventId)) writeRaw(events, formatStored(missed))
    }
    await callback(events)
  } catch (error) {
    request.log.error({ err: error }, 'EventStream callback failed; ending the stream')
  } finally {
    clearInterval(heartbeat)
    endStream(events, false)
  }
}
