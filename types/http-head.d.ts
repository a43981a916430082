export type HeadValue = string | number | readonly string[];
export type HeadHeaders = Readonly<Record<string, HeadValue | undefined>>;
/** An HTTP token: what a header name or a subprotocol name must be. */
export declare const TOKEN: RegExp;
/**
 * The head for `status` with `headers` over `base` (a name given in `headers`, in any case,
 * replaces the one in `base`; `undefined` removes it). Adds `Date`, and `Connection: close`
 * unless the status is 101 or a `Connection` header is given: the response has no framing
 * Node knows of, so only the end of the connection can end it.
 */
export declare function formatHead(status: number, headers: HeadHeaders, base: HeadHeaders): string;
/**
 * `name: value` lines of one header (one per item of a list), or `fail(message)` for a name that
 * is not a token or a value that is not a string or number or holds CR, LF or NUL.
 */
export declare function headerLines(name: string, value: unknown, fail: (message: string) => never): string[];
