import type { FastifyInstance } from 'fastify';
import type { Connections } from './connections.js';
import type { RelicFacade } from './route-types.js';
/**
 * The `app.relic` facade of one Fastify instance: its routes get that instance's prefix and
 * hooks; `connections` counts the app's open relic connections.
 */
export declare function createRoutes(instance: FastifyInstance, connections: Connections): RelicFacade;
