import type { FastifyBaseLogger } from 'fastify';
import type { PubSub, TopicMessage } from './pubsub.js';
/** How a kind of subscriber (a WebSocket, an event stream) takes a message; shared, not per subscriber. */
export interface SubscriberHooks<Subscriber> {
    /**
     * Delivers `message`, unless more than `limit` bytes already wait to reach this subscriber:
     * then it is dropped as too slow (a WebSocket closes with 1008) and `false` returned.
     */
    deliver(subscriber: Subscriber, message: TopicMessage, limit: number): boolean;
}
export interface PublishOptions {
    /** A local subscriber that does not get this message: the one publishing it, say. */
    except?: unknown;
    /** The event type Server-Sent Events subscribers see (`message` when left out). */
    event?: string;
}
/**
 * The topics of one app: who subscribes to what here, and the backplane that carries what is
 * published to the other instances. Nothing is allocated until a topic is used.
 */
export declare class Topics {
    #private;
    /** Bytes that may wait to reach one subscriber before it is dropped as too slow. */
    readonly limit: number;
    constructor(limit: number, backplane: PubSub | undefined, log: FastifyBaseLogger);
    /** Starts the backplane: from now on, what other instances publish is delivered here. */
    start(): Promise<void>;
    close(): Promise<void>;
    subscribe<Subscriber>(topic: string, subscriber: Subscriber, hooks: SubscriberHooks<Subscriber>): void;
    unsubscribe(topic: string, subscriber: unknown): void;
    /** Local subscribers of `topic`. */
    subscribers(topic: string): number;
    /** Delivers to every subscriber of `topic` here, and through the backplane everywhere else. */
    publish(topic: string, data: unknown, options?: PublishOptions): void;
}
