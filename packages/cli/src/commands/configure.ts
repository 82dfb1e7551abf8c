import { NotFoundError } from '@autofacilitate/sdk';
import { createClient, createTokenClient } from '../client';
import type { CommandContext } from '../context';
import { ExitCode } from '../exit-codes';
import { note, printResult } from '../output';
import { writeProfile } from '../profile-file';
import { askSettings } from '../prompt-settings';
import { requireSettings, type ResolvedSettings } from '../settings';
import { UsageError } from '../usage-error';

export interface ConfigureOptions {
  /** `--no-check` makes it false: write without asking the server. */
  check: boolean;
}

// A trigger no server has: asking for its result checks the API key and the organisation.
const PROBE = { vsn: 'configure-check', triggerUUID: '00000000-0000-0000-0000-000000000000' };

/**
 * `configure`: writes a profile (file mode 0600), asking for each setting in a terminal (the
 * current value is the default) and taking the settings flags otherwise; then checks it against
 * the server: a token for the client, and a call with the API key in the organisation.
 */
export async function configure(context: CommandContext, options: ConfigureOptions): Promise<ExitCode> {
  const resolved = context.settings({ forWriting: true });
  const { stdin, output } = context;
  const settings =
    stdin?.isTTY && output.stderr.isTTY && !output.json
      ? await askSettings(resolved.settings, stdin, output.stderr)
      : resolved.settings;
  const chosen: ResolvedSettings = { ...resolved, settings };
  requireSettings(chosen, ['orgId', 'clientId', 'clientSecret', 'apiKey']);
  if (settings.baseUrl === undefined && settings.region === undefined) {
    throw new UsageError(
      'say where the API is: --base-url (mock or self-hosted server), or --region for Alvaria Cloud',
    );
  }
  // The clients check the settings' form before anything is written.
  const tokens = createTokenClient(chosen);
  const client = createClient(chosen);
  writeProfile(resolved.profilePath, resolved.profileName, settings);
  note(output, `Saved profile "${resolved.profileName}" in ${resolved.profilePath} (readable by you only)`);
  const saved = { profile: resolved.profileName, profileFile: resolved.profilePath, checked: options.check };
  if (!options.check) {
    if (output.json) printResult(output, saved, '');
    return ExitCode.ok;
  }

  note(output, `Checking it against ${client.baseUrl} …`);
  try {
    await tokens.getAccessToken({ signal: context.signal });
    note(output, `  client ${settings.clientId}: the token service granted a token`);
    await client.getResult(PROBE.vsn, PROBE.triggerUUID, { signal: context.signal }).catch((error: unknown) => {
      // Any 404 but the organisation's says the key and the organisation were accepted.
      if (error instanceof NotFoundError && !error.errors.some((detail) => detail.scope === 'path.orgId')) return;
      throw error;
    });
    note(output, `  API key, organisation ${settings.orgId}: accepted`);
  } catch (error) {
    note(output, `The profile is saved, but the check failed; run autofacilitate configure again to change it.`);
    throw error;
  }
  if (output.json) printResult(output, saved, '');
  return ExitCode.ok;
}
