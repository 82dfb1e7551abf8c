import type { ServerConfig } from '../config/server-config';
import {
  callbackUrlTooLong,
  parameterNameEmpty,
  parameterNameTooLong,
  parameterValueTooLong,
  tooManyCallbackUrls,
  tooManyParameters,
} from '../errors/catalogue';
import type { ApiError } from '../errors/server-error';

/** The limits of `limits` a trigger is held to. */
export type TriggerLimits = Pick<
  ServerConfig['limits'],
  'triggerParameters' | 'parameterNameBytes' | 'parameterValueBytes' | 'callbackUrls' | 'callbackUrlBytes'
>;

// A body of 1 MiB can break a limit thousands of times: the answer names the first few.
const problemsNamed = 20;

/**
 * What a trigger breaks of the limits (422): too many parameters or callback URLs, a parameter
 * name empty or too long, a value or a URL too long. Lengths are UTF-8 bytes.
 */
export function limitProblems(
  triggerParameters: Record<string, string>,
  callbackUrls: readonly string[],
  limits: TriggerLimits,
): ApiError[] {
  const problems: ApiError[] = [];
  const names = Object.keys(triggerParameters);
  if (names.length > limits.triggerParameters) {
    problems.push(tooManyParameters(limits.triggerParameters, names.length));
  }
  for (const name of names) {
    if (name === '') problems.push(parameterNameEmpty(name));
    if (Buffer.byteLength(name) > limits.parameterNameBytes) {
      problems.push(parameterNameTooLong(name, limits.parameterNameBytes));
    }
    if (Buffer.byteLength(triggerParameters[name]!) > limits.parameterValueBytes) {
      problems.push(parameterValueTooLong(name, limits.parameterValueBytes));
    }
  }
  if (callbackUrls.length > limits.callbackUrls) {
    problems.push(tooManyCallbackUrls(limits.callbackUrls, callbackUrls.length));
  }
  callbackUrls.forEach((url, index) => {
    if (Buffer.byteLength(url) > limits.callbackUrlBytes) {
      problems.push(callbackUrlTooLong(index, limits.callbackUrlBytes));
    }
  });
  return problems.slice(0, problemsNamed);
}
