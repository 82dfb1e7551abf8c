import type { FastifyInstance } from 'fastify';
import { bodyEmpty, bodyNotJson, bodyNotUtf8 } from '../errors/catalogue';
import { parseTriggerXml } from './xml-body';

// Fatal: a byte sequence that is not UTF-8 is refused, never replaced with U+FFFD and stored.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decoded(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw bodyNotUtf8();
  }
}

// `JSON.parse` keeps every name as an own property, `__proto__` included, without touching a prototype.
function parseJson(text: string): unknown {
  if (text.trim() === '') throw bodyEmpty();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bodyNotJson();
  }
}

/**
 * The body parsers of execute: JSON and XML, both read from UTF-8 bytes, both into the same object
 * for the same meaning, so that one schema validates them and one fingerprint identifies them.
 */
export function triggerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parser =
    (read: (text: string) => unknown) =>
    (_request: unknown, body: Buffer, done: (error: Error | null, value?: unknown) => void) => {
      try {
        done(null, read(decoded(body)));
      } catch (error) {
        done(error as Error, undefined);
      }
    };
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parser(parseJson));
  app.addContentTypeParser('application/xml', { parseAs: 'buffer' }, parser(parseTriggerXml));
}
