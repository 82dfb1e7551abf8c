// The baseline of the bench's PostgreSQL rows: a bare Fastify server that does what execute does
// at the least, one INSERT per request through a pool of 10 connections, each commit durable as
// the cluster's settings make it.
// Usage: node bare-pg-server.mjs <port> <database URL>
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const [port, url] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 10 });
await pool.query(
  'CREATE TABLE IF NOT EXISTS triggers (trigger_uuid TEXT PRIMARY KEY, body TEXT NOT NULL, created_at BIGINT NOT NULL)',
);

const app = Fastify();
app.post('/execute', async (request) => {
  const triggerUUID = randomUUID();
  await pool.query({
    name: 'insert',
    text: 'INSERT INTO triggers (trigger_uuid, body, created_at) VALUES ($1, $2, $3)',
    values: [triggerUUID, JSON.stringify(request.body), Date.now()],
  });
  return { message: 'Successfully triggered', triggerUUID };
});
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write('ready\n');
process.on('SIGTERM', () =>
  app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)),
);
