import { FST_ERR_RELIC_INVALID_CLOSE_CODE, FST_ERR_RELIC_INVALID_CLOSE_REASON } from './errors.js'

// A close frame's payload is at most 125 bytes: two for the code, the rest for the reason.
const MAX_REASON_BYTES = 123

/**
 * Checks the code and reason an application may close with: 1000 or 3000-4999 (the others are
 * the protocol's or reserved), a reason only with a code, and short enough for the frame.
 */
export function validateClose (code: number | undefined, reason: string | undefined): void {
  if (code !== undefined && code !== 1000 && !(Number.isInteger(code) && code >= 3000 && code <= 4999)) {
    throw new FST_ERR_RELIC_INVALID_CLOSE_CODE(code)
  }
  if (reason === undefined || reason === '') return
  if (typeof reason !== 'string') throw new FST_ERR_RELIC_INVALID_CLOSE_REASON('it must be a string')
  if (code === undefined) throw new FST_ERR_RELIC_INVALID_CLOSE_REASON('a reason needs a close code')
  if (Buffer.byteLength(reason) > MAX_REASON_BYTES) {
    throw new FST_ERR_RELIC_INVALID_CLOSE_REASON(`it is longer than ${MAX_REASON_BYTES} UTF-8 bytes`)
  }
}
