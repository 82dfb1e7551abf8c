// The bench's server: answers the token endpoint and execute as the spec says, as fast as it can.
// Runs in its own process so the client being measured has the event loop to itself.
import { createServer } from 'node:http';

const TOKEN = JSON.stringify({
  access_token: 'bench-token',
  token_type: 'Bearer',
  expires_in: 3600,
  scope: 'autofacilitateapi',
});
const TRIGGERED = JSON.stringify({ message: 'Successfully triggered ServerName@acme', triggerUUID: '1234' });

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const body = request.url === '/tokenservice/oauth2/access_token' ? TOKEN : TRIGGERED;
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));
