import type { FastifyInstance } from 'fastify';
import type { RelicRoutes } from './route-types.js';
/** The `app.relic` facade of one Fastify instance: its routes get that instance's prefix and hooks. */
export declare function createRoutes(instance: FastifyInstance): RelicRoutes;
