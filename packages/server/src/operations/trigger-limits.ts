import type { ServerConfig } from '../config/server-config';
import type { Problem } from '../http/api-error';

/** The limits of `limits` a trigger is held to. */
export type TriggerLimits = Pick<
  ServerConfig['limits'],
  'triggerParameters' | 'parameterNameBytes' | 'parameterValueBytes' | 'callbackUrls' | 'callbackUrlBytes'
>;

// A body of 1 MiB can break a limit thousands of times: the answer names the first few.
const problemsNamed = 20;

function unprocessable(scope: string, message: string): Problem {
  return { scope, reason: 'Unprocessable Entity', message };
}

/**
 * What a trigger breaks of the limits (422): too many parameters or callback URLs, a parameter
 * name empty or too long, a value or a URL too long. Lengths are UTF-8 bytes.
 */
export function limitProblems(triggerParameters: Record<string, string>, callbackUrls: readonly string[], limits: TriggerLimits): Problem[] {
  const problems: Problem[] = [];
  const names = Object.keys(triggerParameters);
  if (names.length > limits.triggerParameters) {
    problems.push(unprocessable('body.triggerParameters', `A trigger has at most ${limits.triggerParameters} parameters, not ${names.length}`));
  }
  for (const name of names) {
    const scope = `body.triggerParameters.${name}`;
    if (name === '') problems.push(unprocessable(scope, 'A parameter name must not be empty'));
    if (Buffer.byteLength(name) > limits.parameterNameBytes) {
      problems.push(unprocessable(scope, `A parameter name is at most ${limits.parameterNameBytes} bytes long`));
    }
    if (Buffer.byteLength(triggerParameters[name]!) > limits.parameterValueBytes) {
      problems.push(unprocessable(scope, `A parameter value is at most ${limits.parameterValueBytes} bytes long`));
    }
  }
  if (callbackUrls.length > limits.callbackUrls) {
    problems.push(unprocessable('body.callbackUrls', `A trigger has at most ${limits.callbackUrls} callback URLs, not ${callbackUrls.length}`));
  }
  callbackUrls.forEach((url, index) => {
    if (Buffer.byteLength(url) > limits.callbackUrlBytes) {
      problems.push(unprocessable(`body.callbackUrls[${index}]`, `A callback URL is at most ${limits.callbackUrlBytes} bytes long`));
    }
  });
  return problems.slice(0, problemsNamed);
}
