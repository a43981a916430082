import { type FastifyErrorConstructor } from '@fastify/error';
type Coded<C extends string, A extends unknown[] = [string?]> = FastifyErrorConstructor<{
    code: C;
    statusCode: number;
}, A>;
/** Base class of every error a `RelicWebSocket` throws for the state of its connection. */
export declare const WebSocketException: Coded<'FST_ERR_RELIC_WEBSOCKET', [string]>;
/** Thrown by `sendText`, `sendBytes` and `close` once the connection is closed. */
export declare const WebSocketConnectionClosed: Coded<'FST_ERR_RELIC_WEBSOCKET_CLOSED', []>;
export declare const FST_ERR_RELIC_UPGRADE_REQUIRED: Coded<'FST_ERR_RELIC_UPGRADE_REQUIRED', []>;
export declare const FST_ERR_RELIC_EVENTS_CONSUMED: Coded<'FST_ERR_RELIC_EVENTS_CONSUMED', [string]>;
export declare const FST_ERR_RELIC_INVALID_CLOSE_CODE: Coded<'FST_ERR_RELIC_INVALID_CLOSE_CODE', [unknown]>;
export declare const FST_ERR_RELIC_INVALID_CLOSE_REASON: Coded<'FST_ERR_RELIC_INVALID_CLOSE_REASON', [string]>;
export declare const FST_ERR_RELIC_INVALID_PAYLOAD: Coded<'FST_ERR_RELIC_INVALID_PAYLOAD', [string, string]>;
export declare const FST_ERR_RELIC_INVALID_CALLBACK: Coded<'FST_ERR_RELIC_INVALID_CALLBACK', [string]>;
export declare const FST_ERR_RELIC_INVALID_HANDLER: Coded<'FST_ERR_RELIC_INVALID_HANDLER', [string]>;
export declare const FST_ERR_RELIC_INVALID_ROUTE_OPTION: Coded<'FST_ERR_RELIC_INVALID_ROUTE_OPTION', [string, string]>;
export declare const FST_ERR_RELIC_INVALID_OPTIONS: Coded<'FST_ERR_RELIC_INVALID_OPTIONS', [string]>;
export declare const FST_ERR_RELIC_HIJACK_UNSUPPORTED: Coded<'FST_ERR_RELIC_HIJACK_UNSUPPORTED', [string]>;
export declare const FST_ERR_RELIC_NOT_A_RELIC_ROUTE: Coded<'FST_ERR_RELIC_NOT_A_RELIC_ROUTE', [string]>;
export declare const FST_ERR_RELIC_CLOSING: Coded<'FST_ERR_RELIC_CLOSING', []>;
export declare const FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION: Coded<'FST_ERR_RELIC_INVALID_WEBSOCKET_OPTION', [string, string]>;
export declare const FST_ERR_RELIC_ORIGIN_FORBIDDEN: Coded<'FST_ERR_RELIC_ORIGIN_FORBIDDEN', [string]>;
export declare const FST_ERR_RELIC_NO_SUBPROTOCOL: Coded<'FST_ERR_RELIC_NO_SUBPROTOCOL', [string]>;
export declare const FST_ERR_RELIC_INVALID_HEAD: Coded<'FST_ERR_RELIC_INVALID_HEAD', [string]>;
export declare const FST_ERR_RELIC_HEAD_WRITTEN: Coded<'FST_ERR_RELIC_HEAD_WRITTEN', []>;
export declare const FST_ERR_RELIC_INVALID_SSE_EVENT: Coded<'FST_ERR_RELIC_INVALID_SSE_EVENT', [string]>;
export declare const FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION: Coded<'FST_ERR_RELIC_INVALID_EVENT_STREAM_OPTION', [string]>;
export declare const FST_ERR_RELIC_INVALID_TOPIC: Coded<'FST_ERR_RELIC_INVALID_TOPIC', [string]>;
export {};
