// The baseline of the bench: a bare Fastify server that does what execute does at the least, one
// SQLite insert per request, with the same SQLite settings as the server (WAL, synchronous=NORMAL).
// Usage: node bare-server.mjs <port> <database file>
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const [port, file] = process.argv.slice(2);
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(
  'CREATE TABLE IF NOT EXISTS triggers (trigger_uuid TEXT PRIMARY KEY, body TEXT NOT NULL, created_at INTEGER NOT NULL)',
);
const insert = db.prepare('INSERT INTO triggers (trigger_uuid, body, created_at) VALUES (?, ?, ?)');

const app = Fastify();
app.post('/execute', async (request) => {
  const triggerUUID = randomUUID();
  insert.run(triggerUUID, JSON.stringify(request.body), Date.now());
  return { message: 'Successfully triggered', triggerUUID };
});
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write('ready\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
