import { FST_ERR_RELIC_INVALID_PAYLOAD } from './errors.js'

// What a WebSocket send takes, checked at the call: JavaScript callers get a coded TypeError
// naming the method, not a failure deep inside `ws`.

/** `text`, if it is a string. */
export function checkText (text: string, method: string): string {
  if (typeof text !== 'string') throw new FST_ERR_RELIC_INVALID_PAYLOAD(method, 'a string')
  return text
}

/** `bytes`, if they are a Uint8Array (a Buffer is one). */
export function checkBytes (bytes: Uint8Array, method: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new FST_ERR_RELIC_INVALID_PAYLOAD(method, 'a Uint8Array')
  return bytes
}
