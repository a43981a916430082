import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Hijack } from './hijack.js';
/** Hands the connection of the request to a `Hijack` result's callback. */
export declare function acceptHijack(instance: FastifyInstance, hijack: Hijack, request: FastifyRequest, reply: FastifyReply): void;
