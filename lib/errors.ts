import createError, { type FastifyErrorConstructor } from '@fastify/error'

// Every coded error of fastify-relic. The README's error table lists each code; a test keeps the
// two in step. Keys equal codes, so that the name in the source is the code in the log.

type Coded<C extends string, A extends unknown[] = [string?]> = FastifyErrorConstructor<{ code: C, statusCode: number }, A>

/** Base class of every error a `RelicWebSocket` throws for the state of its connection. */
export const WebSocketException: Coded<'FST_ERR_RELIC_WEBSOCKET', [string]> =
  createError('FST_ERR_RELIC_WEBSOCKET', 'WebSocket error: %s', 500)

/** Thrown by `sendText`, `sendBytes` and `close` once the connection is closed. */
export const WebSocketConnectionClosed: Coded<'FST_ERR_RELIC_WEBSOCKET_CLOSED', []> =
  createError('FST_ERR_RELIC_WEBSOCKET_CLOSED', 'The WebSocket connection is closed', 500,
    WebSocketException as unknown as ErrorConstructor)

export const FST_ERR_RELIC_UPGRADE_REQUIRED: Coded<'FST_ERR_RELIC_UPGRADE_REQUIRED', []> =
  createError('FST_ERR_RELIC_UPGRADE_REQUIRED',
    'This route answers with a WebSocket upgrade: connect with a WebSocket client (GET with "Upgrade: websocket")', 426)

export const FST_ERR_RELIC_EVENTS_CONSUMED: Coded<'FST_ERR_RELIC_EVENTS_CONSUMED', [string]> =
  createError('FST_ERR_RELIC_EVENTS_CONSUMED',
    'ws.events has one consumer and is already consumed; %s a second time is not allowed', 500)

export const FST_ERR_RELIC_INVALID_CLOSE_CODE: Coded<'FST_ERR_RELIC_INVALID_CLOSE_CODE', [unknown]> =
  createError('FST_ERR_RELIC_INVALID_CLOSE_CODE',
    'Invalid WebSocket close code %s: use 1000 or an application code from 3000 to 4999', 500, RangeError)

export const FST_ERR_RELIC_INVALID_CLOSE_REASON: Coded<'FST_ERR_RELIC_INVALID_CLOSE_REASON', [string]> =
  createError('FST_ERR_RELIC_INVALID_CLOSE_REASON',
    'Invalid WebSocket close reason: %s', 500, RangeError)

export const FST_ERR_RELIC_INVALID_PAYLOAD: Coded<'FST_ERR_RELIC_INVALID_PAYLOAD', [string, string]> =
  createError('FST_ERR_RELIC_INVALID_PAYLOAD', '%s expects %s', 500, TypeError)

export const FST_ERR_RELIC_INVALID_CALLBACK: Coded<'FST_ERR_RELIC_INVALID_CALLBACK', [string]> =
  createError('FST_ERR_RELIC_INVALID_CALLBACK', '%s expects a callback function', 500, TypeError)

export const FST_ERR_RELIC_INVALID_HANDLER: Coded<'FST_ERR_RELIC_INVALID_HANDLER', [string]> =
  createError('FST_ERR_RELIC_INVALID_HANDLER', 'The relic route %s has no handler function', 500, TypeError)

export const FST_ERR_RELIC_INVALID_ROUTE_OPTION: Coded<'FST_ERR_RELIC_INVALID_ROUTE_OPTION', [string, string]> =
  createError('FST_ERR_RELIC_INVALID_ROUTE_OPTION', 'The relic route %s: %s', 500, TypeError)

export const FST_ERR_RELIC_INVALID_OPTIONS: Coded<'FST_ERR_RELIC_INVALID_OPTIONS', [string]> =
  createError('FST_ERR_RELIC_INVALID_OPTIONS', 'Invalid fastify-relic options: %s', 500, TypeError)

export const FST_ERR_RELIC_HIJACK_UNSUPPORTED: Coded<'FST_ERR_RELIC_HIJACK_UNSUPPORTED', [string]> =
  createError('FST_ERR_RELIC_HIJACK_UNSUPPORTED',
    'A Hijack needs the raw connection of an HTTP/1.1 request, and %s has none', 500)

export const FST_ERR_RELIC_NOT_A_RELIC_ROUTE: Coded<'FST_ERR_RELIC_NOT_A_RELIC_ROUTE', [string]> =
  createError('FST_ERR_RELIC_NOT_A_RELIC_ROUTE',
    'A %s was returned from a route that is not a relic route: register it with app.relic.get() and friends ' +
    '(app.relic.get(...) returns the Fastify instance, so chain with .relic.get(...))', 500)

export const FST_ERR_RELIC_CLOSING: Coded<'FST_ERR_RELIC_CLOSING', []> =
  createError('FST_ERR_RELIC_CLOSING', 'The server is shutting down and accepts no new WebSocket or hijacked connection', 503)

export const FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION: Coded<'FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION', [string, string]> =
  createError('FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION', 'Invalid WebSocket option (%s): %s', 500, TypeError)

export const FST_ERR_RELIC_ORIGIN_FORBIDDEN: Coded<'FST_ERR_RELIC_ORIGIN_FORBIDDEN', [string]> =
  createError('FST_ERR_RELIC_ORIGIN_FORBIDDEN',
    'WebSocket connections from origin %s are not allowed (see the allowedOrigins option)', 403)

export const FST_ERR_RELIC_NO_SUBPROTOCOL: Coded<'FST_ERR_RELIC_NO_SUBPROTOCOL', [string]> =
  createError('FST_ERR_RELIC_NO_SUBPROTOCOL',
    'The client offered none of the WebSocket subprotocols this route speaks (Sec-WebSocket-Protocol: %s)', 400)

export const FST_ERR_RELIC_INVALID_HEAD: Coded<'FST_ERR_RELIC_INVALID_HEAD', [string]> =
  createError('FST_ERR_RELIC_INVALID_HEAD', 'Invalid HTTP response head: %s', 500, TypeError)

export const FST_ERR_RELIC_HEAD_WRITTEN: Coded<'FST_ERR_RELIC_HEAD_WRITTEN', []> =
  createError('FST_ERR_RELIC_HEAD_WRITTEN', 'channel.writeHead() was already called, or the connection has ended', 500)

export const FST_ERR_RELIC_INVALID_SSE_EVENT: Coded<'FST_ERR_RELIC_INVALID_SSE_EVENT', [string]> =
  createError('FST_ERR_RELIC_INVALID_SSE_EVENT', 'Invalid server-sent event: %s', 500, TypeError)

export const FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION: Coded<'FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION', [string]> =
  createError('FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION', 'Invalid EventStream option: %s', 500, TypeError)

export const FST_ERR_RELIC_INVALID_TOPIC: Coded<'FST_ERR_RELIC_INVALID_TOPIC', [string]> =
  createError('FST_ERR_RELIC_INVALID_TOPIC', 'Invalid topic or published message: %s', 500, TypeError)
