import { openEventStream } from './support/admin-client';
import { secrets } from './support/test-config';
import { startTestServer } from './support/test-server';

test('the server ends the streams still open when it stops', async () => {
  const own = await startTestServer();
  const stream = await openEventStream(own.url, 'acme', secrets.operator);
  await own.close();
  await stream.ended;
});
