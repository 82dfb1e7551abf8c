import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startChild } from './child';
import type { ClientCredentials } from './scratch-server';
import { nodeBinary, specPath, workspaceRoot } from './paths';

const toolDir = join(workspaceRoot, 'tools/schemathesis');

export interface SchemathesisResult {
  /** Test cases generated, over every phase. */
  cases: number;
  /** Unique failures found. */
  failures: number;
  /** How many times each check ran. */
  checks: Record<string, number>;
  exitCode: number | null;
  /** Everything Schemathesis printed. */
  output: string;
}

/** The pinned Schemathesis, installed into its virtual environment on first use. */
function schemathesisBinary(): string {
  const printed = execFileSync(nodeBinary, [join(toolDir, 'ensure-venv.mjs')], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  });
  return printed.trim();
}

/** A console session of the admin key, for the operations the session cookie authenticates: its token. */
async function signIn(url: string, adminKey: string): Promise<string> {
  const response = await fetch(`${url}/admin/v1/session`, {
    method: 'POST',
    headers: { 'x-autofacilitate-console': '1', 'content-type': 'application/json' },
    body: JSON.stringify({ adminKey }),
  });
  if (response.status !== 200) throw new Error(`signInAdminSession answered ${response.status}`);
  return /^autofacilitate_admin_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
}

/** Runs Schemathesis with `tools/schemathesis/schemathesis.toml` on the spec against `url`. */
export async function runSchemathesis(
  url: string,
  client: ClientCredentials,
  adminKey: string,
): Promise<SchemathesisResult> {
  const st = schemathesisBinary();
  const adminSession = await signIn(url, adminKey);
  const report = join(toolDir, '.venv', `report-${process.pid}`);
  const child = startChild(
    st,
    [
      '--config-file',
      join(toolDir, 'schemathesis.toml'),
      'run',
      specPath,
      '--url',
      url,
      '--no-color',
      '--report',
      'ndjson',
      '--report-dir',
      report,
    ],
    {
      SCHEMATHESIS_CLIENT_ID: client.clientId,
      SCHEMATHESIS_CLIENT_SECRET: client.clientSecret,
      SCHEMATHESIS_API_KEY: client.apiKey,
      SCHEMATHESIS_ADMIN_KEY: adminKey,
      SCHEMATHESIS_ADMIN_SESSION: adminSession,
      SCHEMATHESIS_HOOKS: join(toolDir, 'hooks.py'),
    },
  );
  const exitCode = await child.exited;
  const output = child.output();
  // e.g. "  5123 generated, 5123 passed" or "  523 generated, 7 found 8 unique failures, 4 skipped"
  const summary = /^\s+(\d+) generated(.*)$/m.exec(output);
  if (!summary) throw new Error(`Schemathesis printed no summary:\n${output}`);
  const failures = Number(/(\d+) unique failures?/.exec(summary[2] ?? '')?.[1] ?? 0);
  const checks = checksRun(report);
  rmSync(report, { recursive: true, force: true });
  return { cases: Number(summary[1]), failures, checks, exitCode, output };
}

/** Counts the checks of every scenario in the NDJSON report, which the text output does not list. */
function checksRun(reportDir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of readdirSync(reportDir)) {
    for (const line of readFileSync(join(reportDir, file), 'utf8').split('\n')) {
      if (!line.startsWith('{"ScenarioFinished"')) continue;
      const { recorder } = (
        JSON.parse(line) as { ScenarioFinished: { recorder: { checks?: Record<string, { name: string }[]> } } }
      ).ScenarioFinished;
      for (const results of Object.values(recorder.checks ?? {})) {
        for (const { name } of results) counts[name] = (counts[name] ?? 0) + 1;
      }
    }
  }
  return counts;
}
