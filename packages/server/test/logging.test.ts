import { Writable } from 'node:stream';
import { chosenFormat, createLogger } from '../src/logging/create-logger';

/** A destination that keeps what the logger writes. */
function collector() {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  return { stream, written: () => written };
}

test('json: one JSON object per line, whatever the destination', () => {
  const out = collector();
  createLogger({ logLevel: 'info', logFormat: 'json' }, out.stream).info({ triggerUUID: 'abc' }, 'trigger finished');
  const line = JSON.parse(out.written().trim()) as Record<string, unknown>;
  expect(line).toMatchObject({ level: 30, msg: 'trigger finished', triggerUUID: 'abc' });
});

test('pretty: a line a person reads, with the level, the message and the fields, no JSON', () => {
  const out = collector();
  createLogger({ logLevel: 'info', logFormat: 'pretty' }, out.stream).info({ triggerUUID: 'abc' }, 'trigger finished');
  const written = out.written();
  expect(written).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: trigger finished\n/);
  expect(written).toContain('triggerUUID: "abc"');
  expect(written).not.toContain('"level"');
  expect(written).not.toContain('\u001b['); // no colours into a destination that is not a terminal
});

test('auto: pretty at a terminal, JSON into a pipe or a destination of the caller', () => {
  expect(chosenFormat('auto', undefined, true)).toBe('pretty');
  expect(chosenFormat('auto', undefined, false)).toBe('json');
  expect(chosenFormat('auto', collector().stream, true)).toBe('json');
  expect(chosenFormat('json', undefined, true)).toBe('json');
  expect(chosenFormat('pretty', undefined, false)).toBe('pretty');
});

test('auto with a destination of the caller: JSON', () => {
  const out = collector();
  createLogger({ logLevel: 'info', logFormat: 'auto' }, out.stream, true).warn('careful');
  expect(JSON.parse(out.written().trim())).toMatchObject({ level: 40, msg: 'careful' });
});

test('the level holds in both formats', () => {
  for (const logFormat of ['json', 'pretty'] as const) {
    const out = collector();
    const log = createLogger({ logLevel: 'warn', logFormat }, out.stream);
    log.info('not shown');
    log.error('shown');
    expect(out.written()).not.toContain('not shown');
    expect(out.written()).toContain('shown');
  }
});
