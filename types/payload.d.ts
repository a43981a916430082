/** `text`, if it is a string. */
export declare function checkText(text: string, method: string): string;
/** `bytes`, if they are a Uint8Array (a Buffer is one). */
export declare function checkBytes(bytes: Uint8Array, method: string): Uint8Array;
