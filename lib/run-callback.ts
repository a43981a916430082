/**
 * Runs a user callback that the server does not wait for: a throw or a rejection goes to `fail`,
 * so no callback error can become an unhandled rejection and crash the process.
 */
export function runCallback<T> (callback: (arg: T) => void | Promise<void>, arg: T, fail: (error: unknown) => void): void {
  let returned: void | Promise<void>
  try {
    returned = callback(arg)
  } catch (error) {
    return fail(error)
  }
  if (returned !== undefined && typeof returned.then === 'function') returned.then(undefined, fail)
}
