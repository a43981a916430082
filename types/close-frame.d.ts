/**
 * Checks the code and reason an application may close with: 1000 or 3000-4999 (the others are
 * the protocol's or reserved), a reason only with a code, and short enough for the frame.
 */
export declare function validateClose(code: number | undefined, reason: string | undefined): void;
