// Reading what a caller sent the harness: its body, the test controls to hand on, and the
// execute body in either of the spec's formats, as the facade's `execute` takes it.
import type { IncomingMessage } from 'node:http';
import { XMLParser } from 'fast-xml-parser';

// Test controls travel through the facade's per-call headers: Prism's `Prefer: code=…`, and the
// fault switch of the server's test configuration.
const FORWARDED_HEADERS = ['prefer', 'x-autofacilitate-fault'];

const xml = new XMLParser({
  ignoreDeclaration: true,
  parseTagValue: false,
  isArray: (tagName) => tagName === 'callbackUrls',
});

/** The test controls among the caller's headers, for the facade's per-call `headers`. */
export function forwarded(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** The whole request body as text: every route needs it before it can be served. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/** The execute body: JSON as the generated client would read it, or the `<root>` XML of Alvaria's API reference. */
export function triggerBody(
  request: IncomingMessage,
  body: string,
): { triggerParameters: Record<string, string>; callbackUrls?: string[]; format: 'json' | 'xml' } {
  if ((request.headers['content-type'] ?? '').startsWith('application/xml')) {
    const root =
      (xml.parse(body) as { root?: { triggerParameters?: Record<string, string> | ''; callbackUrls?: string[] } })
        .root ?? {};
    const triggerParameters = typeof root.triggerParameters === 'object' ? root.triggerParameters : {};
    return { triggerParameters, ...(root.callbackUrls ? { callbackUrls: root.callbackUrls } : {}), format: 'xml' };
  }
  const json = JSON.parse(body || '{}') as { triggerParameters?: Record<string, string>; callbackUrls?: string[] };
  return {
    triggerParameters: json.triggerParameters ?? {},
    ...(json.callbackUrls ? { callbackUrls: json.callbackUrls } : {}),
    format: 'json',
  };
}
