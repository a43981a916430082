/**
 * Runs a user callback that the server does not wait for: a throw or a rejection goes to
 * `fail(arg, error)`, so no callback error can become an unhandled rejection and crash the
 * process. `fail` is a shared function, not a closure per connection.
 */
export declare function runCallback<T>(callback: (arg: T) => void | Promise<void>, arg: T, fail: (arg: T, error: unknown) => void): void;
