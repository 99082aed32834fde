// Makes the database (given to buildApp) available as app.db.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DatabaseHandle, Db } from '../db/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    database: DatabaseHandle;
  }
}

async function dbPlugin(app: FastifyInstance, opts: { database: DatabaseHandle }) {
  app.decorate('database', opts.database);
  app.decorate('db', opts.database.db);
}

export default fp(dbPlugin, { name: 'db' });
