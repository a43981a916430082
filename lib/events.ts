// The events a RelicWebSocket yields. Classes with a `type` discriminant, so that both
// `switch (event.type)` and `instanceof` narrow a `WebSocketEvent`.

/**
 * A text message from the peer.
 * @example
 * for await (const e of ws.events) if (e.type === 'text') ws.sendText(e.text.toUpperCase())
 */
export class TextDataReceived {
  readonly type = 'text' as const
  readonly text: string
  constructor (text: string) {
    this.text = text
  }
}

/**
 * A binary message from the peer; `data` is a Node `Buffer`, which is a `Uint8Array`.
 * @example
 * for await (const e of ws.events) if (e instanceof BinaryDataReceived) ws.sendBytes(e.data)
 */
export class BinaryDataReceived {
  readonly type = 'binary' as const
  readonly data: Uint8Array
  constructor (data: Uint8Array) {
    this.data = data
  }
}

/**
 * The peer closed the connection, or it dropped (`code` 1006). Delivered once, as the last event;
 * `code` is `undefined` when the peer's close frame carried none. A close started locally ends
 * the events without one.
 * @example
 * for await (const e of ws.events) if (e.type === 'close') log.info({ code: e.code }, 'peer left')
 */
export class CloseReceived {
  readonly type = 'close' as const
  readonly code: number | undefined
  readonly reason: string
  constructor (code: number | undefined, reason: string) {
    this.code = code
    this.reason = reason
  }
}

export type WebSocketEvent = TextDataReceived | BinaryDataReceived | CloseReceived
