// fastify-relic: route handlers that return what happens to the connection.
import { fastifyRelic } from './plugin.js'

// The plugin
export { fastifyRelic }
export default fastifyRelic
export type { FastifyRelicOptions } from './plugin.js'
export { RelicApp } from './relic-app.js'
export type { ServeOptions } from './relic-app.js'

// Results
export { WebSocketUpgrade } from './websocket-upgrade.js'
export type { WebSocketCallback } from './websocket-upgrade.js'
export type { OriginCheck, ProtocolChooser, WebSocketOptions } from './websocket-options.js'
export { Hijack } from './hijack.js'
export type { HijackCallback } from './hijack.js'
export { EventStream } from './event-stream.js'
export type { EventStreamCallback, EventStreamOptions } from './event-stream.js'

// The WebSocket side
export { RelicWebSocket } from './relic-websocket.js'
export { WebSocketEvents } from './websocket-events.js'
export type { EventListener, EventSubscription } from './websocket-events.js'
export { BinaryDataReceived, CloseReceived, TextDataReceived } from './events.js'
export type { WebSocketEvent } from './events.js'

// The Server-Sent Events side
export { ServerSentEvents } from './server-sent-events.js'
export { MemoryReplayStore } from './replay-store.js'
export type { ReplayStore } from './replay-store.js'
export type { ServerSentEvent, StoredEvent } from './sse-format.js'

// The raw-socket side
export { HijackChannel } from './hijack-channel.js'
export { HijackSink } from './hijack-sink.js'

// Topics
export type { PublishOptions } from './topics.js'
export { decodeMessage, encodeMessage } from './pubsub.js'
export type { DeliverFunction, PubSub, TopicMessage } from './pubsub.js'

// Errors
export * as errors from './errors.js'
export { WebSocketConnectionClosed, WebSocketException } from './errors.js'

// Route typing
export type { PathParams } from './path-params.js'
export type {
  RelicFacade, RelicHandler, RelicResult, RelicRouteMethod, RelicRouteOptions, RelicRoutes, RelicShorthandMethod,
  RelicShorthandOptionsWithHandler, WithPathParams
} from './route-types.js'
