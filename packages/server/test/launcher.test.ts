import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builtServer, removeBuiltServer } from './support/server-process';

const run = promisify(execFile);
const launcher = join(__dirname, '..', 'bin', 'autofacilitate-server.js');
// The machine's own Node, older than the server supports (as `npm run test:node20` assumes too).
const oldNode = '/usr/bin/node';

afterAll(() => removeBuiltServer());

test('on a Node older than 22, one line names the Node needed, and the exit code is 1', async () => {
  const { stdout: version } = await run(oldNode, ['--version']);
  expect(Number(/^v(\d+)/.exec(version)![1])).toBeLessThan(22);

  const failure = await run(oldNode, [launcher, 'start', '--config', 'config.yaml']).catch((error: unknown) => error);
  expect(failure).toMatchObject({ code: 1, stdout: '' });
  const { stderr } = failure as { stderr: string };
  expect(stderr).toBe(
    `autofacilitate-server needs Node.js 22 or later (>=22); this is Node.js ${version.trim().slice(1)}\n`,
  );
});

test('on this Node, the launcher runs the built command', async () => {
  const packageDir = join(await builtServer(), '..');
  const { stdout } = await run(process.execPath, [join(packageDir, 'bin', 'autofacilitate-server.js'), '--help']);
  expect(stdout).toMatch(/^Usage: autofacilitate-server \[command\]/);
});
