import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the CLI sent. */
export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A small HTTP server on 127.0.0.1 that answers the token and execute routes the way the spec
 * says and records what the CLI sent, so tests can check which settings won.
 */
export async function startRecordingServer(): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      response.setHeader('content-type', 'application/json');
      if (request.url === '/tokenservice/oauth2/access_token') {
        response.end(JSON.stringify({ access_token: 'recorded-token', token_type: 'Bearer', expires_in: 3600 }));
      } else if (request.url?.includes('/autoFacilitate/execute/')) {
        response.end(JSON.stringify({ message: 'Successfully triggered', triggerUUID: 'trigger-1' }));
      } else {
        response.statusCode = 404;
        response.end(
          JSON.stringify({
            code: '404',
            message: 'Not found',
            errors: [{ scope: 'global', reason: 'Not found', message: `no route ${request.url}` }],
          }),
        );
      }
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
