import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The OpenAPI document the server is bound to. The build copies it beside the bundle; in the
 * source tree (tests run the sources) it is the repository's `spec/autofacilitate.yaml`.
 */
export const specFile: string =
  [join(__dirname, 'autofacilitate.yaml'), join(__dirname, '..', '..', '..', '..', 'spec', 'autofacilitate.yaml')].find(
    (candidate) => existsSync(candidate),
  ) ?? join(__dirname, 'autofacilitate.yaml');
