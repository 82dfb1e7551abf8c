import type { HttpServiceConfig } from '../config/server-config';
import { tracedCall } from '../tracing/service-trace';
import { attributes, urlWithoutSecrets } from '../tracing/span-attributes';
import type { ServiceBehaviour } from './service';

async function readAnswer(response: Response, limitBytes: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limitBytes) throw new Error(`The upstream answer is larger than ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The `http` kind: POSTs the trigger's parameters as JSON to the configured URL; the JSON answer
 * is the output, an empty answer means no output. A trigger may run more than once (its worker
 * may die mid-run), so every call carries the triggerUUID as `Idempotency-Key`.
 */
export function httpService(config: HttpServiceConfig, outputBytes: number): ServiceBehaviour {
  const spanAttributes = { [attributes.httpMethod]: 'POST', [attributes.url]: urlWithoutSecrets(config.url) };
  return {
    run: async (triggerParameters, { triggerUUID, signal, trace }) => {
      let response: Response;
      try {
        response = await tracedCall(trace, 'service call', spanAttributes, (traceHeaders) =>
          fetch(config.url, {
            method: 'POST',
            headers: {
              ...config.headers,
              ...traceHeaders,
              'content-type': 'application/json',
              accept: 'application/json',
              'idempotency-key': triggerUUID,
            },
            body: JSON.stringify(triggerParameters),
            redirect: 'manual',
            signal,
          }),
        );
      } catch (error) {
        if (signal.aborted) throw error;
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(`upstream could not be reached (${cause?.code ?? cause?.message ?? String(error)})`);
      }
      const text = await readAnswer(response, outputBytes);
      if (!response.ok) throw new Error(`upstream answered ${response.status}`);
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error('upstream answered with a body that is not JSON');
      }
    },
  };
}
