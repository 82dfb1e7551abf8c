import { createTokenClient } from '../client';
import type { CommandContext } from '../context';
import { ExitCode } from '../exit-codes';
import { printResult } from '../output';
import { parseSeconds } from '../parse-number';

export interface TokenOptions {
  timeout?: string;
}

/**
 * `token`: prints an access token, alone on stdout, so `$(autofacilitate token)` works. It needs
 * the client id and secret only: the token service takes no organisation and no API key.
 */
export async function token(context: CommandContext, options: TokenOptions): Promise<ExitCode> {
  const client = createTokenClient(context.settings());
  const timeoutMs = options.timeout === undefined ? undefined : parseSeconds('--timeout', options.timeout);
  const info = await client.getAccessToken({ signal: context.signal, ...(timeoutMs && { timeoutMs }) });
  printResult(context.output, info, info.accessToken);
  return ExitCode.ok;
}
