import { serverSentEvents } from '../src/admin/server-sent-events';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function read(chunks: string[]) {
  const events = [];
  for await (const event of serverSentEvents(streamOf(chunks))) events.push(event);
  return events;
}

test('reads named events with their ids, skipping comments and retry, across chunk boundaries', async () => {
  expect(
    await read([
      'retry: 2000\n: open\n\nid: 1\nevent: trig',
      'ger\ndata: {"a":1}\n\n: keep-alive\n\n',
      'id: 2\ndata: plain\n\n',
    ]),
  ).toEqual([
    { event: 'trigger', data: '{"a":1}', id: '1' },
    { event: 'message', data: 'plain', id: '2' },
  ]);
});

test('joins data lines, reads CRLF line ends and fields without a space or a value', async () => {
  expect(await read(['event:delivery\r\ndata: one\r\ndata:two\r\ndata\r\n\r\n'])).toEqual([
    { event: 'delivery', data: 'one\ntwo\n' },
  ]);
});

test('a block without data is no event, and a block cut off by the end of the stream is dropped', async () => {
  expect(await read(['event: trigger\n\nid: 3\nevent: trigger\ndata: {}'])).toEqual([]);
});
