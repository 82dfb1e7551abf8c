// The openapi-generator-cli wrapper downloads its JAR from a host this project's machines cannot
// reach, so we fetch the pinned version from Maven Central with `mvn` into the wrapper's storageDir
// (as `<version>.jar`, where the wrapper looks) ourselves. Runs from the repo root, like the wrapper.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function ensureJar() {
  const config = JSON.parse(readFileSync('openapitools.json', 'utf8'))['generator-cli'];
  const jar = join(resolve(config.storageDir), `${config.version}.jar`);
  if (existsSync(jar)) return jar;

  const artifact = `org.openapitools:openapi-generator-cli:${config.version}`;
  console.error(`Fetching ${artifact} from Maven Central with mvn…`);
  const scratch = mkdtempSync(join(tmpdir(), 'openapi-generator-'));
  try {
    execFileSync('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${scratch}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    mkdirSync(resolve(config.storageDir), { recursive: true });
    // Copied under a temporary name, then renamed: tasks that run at once (the freshness check, a
    // spec review) may each fetch it, and none may start Java on a half-copied JAR.
    const draft = `${jar}.${process.pid}.tmp`;
    copyFileSync(join(scratch, `openapi-generator-cli-${config.version}.jar`), draft);
    renameSync(draft, jar);
    console.error(`Installed ${jar}`);
    return jar;
  } catch (error) {
    throw new Error(`Could not fetch ${artifact} with mvn: is Maven installed and Maven Central reachable?`, {
      cause: error,
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureJar();
