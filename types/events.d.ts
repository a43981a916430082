/**
 * A text message from the peer.
 * @example
 * for await (const e of ws.events) if (e.type === 'text') ws.sendText(e.text.toUpperCase())
 */
export declare class TextDataReceived {
    readonly type: "text";
    readonly text: string;
    constructor(text: string);
}
/**
 * A binary message from the peer; `data` is a Node `Buffer`, which is a `Uint8Array`.
 * @example
 * for await (const e of ws.events) if (e instanceof BinaryDataReceived) ws.sendBytes(e.data)
 */
export declare class BinaryDataReceived {
    readonly type: "binary";
    readonly data: Uint8Array;
    constructor(data: Uint8Array);
}
/**
 * The peer closed the connection, or it dropped (`code` 1006). Delivered once, as the last event;
 * `code` is `undefined` when the peer's close frame carried none. A close started locally ends
 * the events without one.
 * @example
 * for await (const e of ws.events) if (e.type === 'close') log.info({ code: e.code }, 'peer left')
 */
export declare class CloseReceived {
    readonly type: "close";
    readonly code: number | undefined;
    readonly reason: string;
    constructor(code: number | undefined, reason: string);
}
export type WebSocketEvent = TextDataReceived | BinaryDataReceived | CloseReceived;
