import { read } from 'read';
import type { Settings } from './settings';

/** One question: the setting it fills, how it is asked, and whether the answer is a secret (not echoed). */
const QUESTIONS: ReadonlyArray<{
  name: keyof Settings;
  prompt: string;
  secret?: boolean;
  when?: (answers: Settings) => boolean;
}> = [
  { name: 'orgId', prompt: 'Organisation (orgId)' },
  { name: 'baseUrl', prompt: 'API base URL of the mock or a self-hosted server (empty for Alvaria Cloud)' },
  { name: 'region', prompt: 'Alvaria Cloud region', when: (answers) => answers.baseUrl === undefined },
  { name: 'clientId', prompt: 'OAuth2 client id' },
  { name: 'clientSecret', prompt: 'OAuth2 client secret', secret: true },
  { name: 'apiKey', prompt: 'API key (x-api-key)', secret: true },
];

/**
 * Asks for each setting on a terminal, the current value as the default (a secret's only as its
 * last four characters); an empty answer keeps it, `-` clears it.
 */
export async function askSettings(
  current: Settings,
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
): Promise<Settings> {
  const answers: Settings = { ...current };
  for (const { name, prompt, secret, when } of QUESTIONS) {
    if (when && !when(answers)) {
      delete answers[name];
      continue;
    }
    const value = current[name];
    const shown = value === undefined ? '' : secret ? ` [keep …${value.slice(-4)}]` : ` [${value}]`;
    const answer = (
      await read({
        prompt: `${prompt}${shown}: `,
        silent: secret === true,
        replace: secret ? '*' : undefined,
        input,
        output,
      })
    ).trim();
    if (answer === '-') delete answers[name];
    else if (answer !== '') answers[name] = answer;
  }
  return answers;
}
