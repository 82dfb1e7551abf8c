// The baseline of the bench: a bare Fastify server that does what execute and getTriggerResult do
// at the least, one SQLite insert or one read by primary key per request, in WAL mode like the
// server, at the `synchronous` level it is compared at (NORMAL unless told).
// Usage: node bare-server.mjs <port> <database file> [NORMAL|FULL]
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const [port, file, synchronous = 'NORMAL'] = process.argv.slice(2);
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
db.exec(
  'CREATE TABLE IF NOT EXISTS triggers (trigger_uuid TEXT PRIMARY KEY, body TEXT NOT NULL, created_at INTEGER NOT NULL)',
);
const insert = db.prepare('INSERT INTO triggers (trigger_uuid, body, created_at) VALUES (?, ?, ?)');
const find = db.prepare('SELECT trigger_uuid, body, created_at FROM triggers WHERE trigger_uuid = ?');

const app = Fastify();
app.post('/execute', async (request) => {
  const triggerUUID = randomUUID();
  insert.run(triggerUUID, JSON.stringify(request.body), Date.now());
  return { message: 'Successfully triggered', triggerUUID };
});
app.get('/result/:triggerUUID', async (request, reply) => {
  const row = find.get(request.params.triggerUUID);
  if (!row) return reply.code(404).send({ message: 'Trigger not found' });
  return { triggerUUID: row.trigger_uuid, output: JSON.parse(row.body), createdAt: row.created_at };
});
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write('ready\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
