import { join, resolve } from 'node:path';

/** The repo root: contract tests always run from the source tree. */
export const workspaceRoot = resolve(__dirname, '../../..');

/** The OpenAPI document every suite checks against. */
export const specPath = join(workspaceRoot, 'spec/autofacilitate.yaml');

/** The Node binary the repo pins (Prism needs Node 24), whatever runs jest. */
export const nodeBinary = join(workspaceRoot, 'node_modules/node/bin/node');
