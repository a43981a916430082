import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EventStream } from './event-stream.js';
/**
 * Answers with a `text/event-stream` web Response whose body the callback writes through its
 * `ServerSentEvents`; Fastify sends it as any Response, through its hooks and logs.
 */
export declare function acceptEventStream(instance: FastifyInstance, stream: EventStream, request: FastifyRequest, reply: FastifyReply): Response;
