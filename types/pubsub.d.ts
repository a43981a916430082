import type { FastifyBaseLogger } from 'fastify';
/** A published message, encoded once for every subscriber. */
export interface TopicMessage {
    /** Sent as a binary WebSocket message (and as UTF-8 text to event streams). */
    readonly binary: boolean;
    /** The payload as bytes. */
    readonly bytes: Uint8Array;
    /** The payload as text, when it is text. */
    readonly text: string | undefined;
    /** The event type event streams see. */
    readonly event: string | undefined;
}
/** Called by a backplane for each message published on any instance. */
export type DeliverFunction = (topic: string, message: TopicMessage, origin: string) => void;
/**
 * A pub/sub backplane. fastify-relic calls `subscribe` when a topic gets its first subscriber on
 * this instance and `unsubscribe` when it loses its last, so a backplane holds one subscription
 * per topic per instance, not per socket. `origin` names the publishing instance, which has
 * delivered the message locally already. Any method may be async; failures are logged and
 * counted, never thrown at a publisher.
 */
export interface PubSub {
    /** Connects; from then on, `deliver` each message published on any instance. Log outages on `log`. */
    start(deliver: DeliverFunction, log: FastifyBaseLogger): void | Promise<void>;
    publish(topic: string, message: TopicMessage, origin: string): void | Promise<void>;
    subscribe(topic: string): void | Promise<void>;
    unsubscribe(topic: string): void | Promise<void>;
    close(): void | Promise<void>;
}
/** A message as one string on the wire: `origin`, kind and event before the payload. */
export declare function encodeMessage(message: TopicMessage, origin: string): string;
/** The message and its origin from `encodeMessage`'s string; undefined for anything else. */
export declare function decodeMessage(wire: string): {
    message: TopicMessage;
    origin: string;
} | undefined;
