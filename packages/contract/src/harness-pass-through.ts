// The operations the facade has no method for reach the upstream untouched, so Dredd still checks them.
import type { IncomingMessage, ServerResponse } from 'node:http';

// Headers that belong to one connection, never passed on (RFC 9110 §7.6.1), and the length, which the body sets again.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

/** Sends the request to the upstream as it came, and its answer back as it came. */
export async function passThrough(
  upstream: string,
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined)
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const answer = await fetch(`${upstream}${request.url ?? '/'}`, {
    method: request.method,
    headers,
    ...(body ? { body } : {}),
  });
  const answerHeaders: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') answerHeaders[name] = value;
  });
  response.writeHead(answer.status, answerHeaders);
  response.end(Buffer.from(await answer.arrayBuffer()));
}
