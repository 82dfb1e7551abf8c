// The generated API classes, extended only to hand back every HTTP answer (the generated
// `request` throws on non-2xx) and to let the facade finish the generated request options: the
// bearer token, per-call headers, and the XML body the generator cannot produce. Paths, path
// encoding, the JSON body, the form-encoded grant and HTTP Basic all stay the generated code's.
import {
  ExecuteApi,
  GetAccessTokenGrantTypeEnum,
  ResponseError,
  ResultApi,
  TokenApi,
  type ExecuteServiceRequest,
  type GetTriggerResultRequest,
  type HTTPHeaders,
  type RequestOpts,
} from '@autofacilitate/client';

/** The OAuth2 scope the API requires. */
export const SCOPE = 'autofacilitateapi';

/** Resolves with the response whatever its status; network failures still reject. */
async function answer(request: Promise<Response>): Promise<Response> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ResponseError) return error.response;
    throw error;
  }
}

/** `executeService` through the generated client, in JSON or in XML. */
export class ExecuteEndpoint extends ExecuteApi {
  /** Sends one execute request. `xml`, when given, replaces the generated JSON body. */
  async send(
    parameters: ExecuteServiceRequest,
    headers: HTTPHeaders,
    xml: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const options = await this.executeServiceRequestOpts(parameters);
    Object.assign(options.headers, headers);
    if (xml !== undefined) {
      options.headers['Content-Type'] = 'application/xml';
      options.body = xml;
    }
    return answer(this.request(options, { signal }));
  }
}

/** `getTriggerResult` through the generated client. */
export class ResultEndpoint extends ResultApi {
  /** Sends one result request. */
  async send(
    parameters: GetTriggerResultRequest,
    headers: HTTPHeaders,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const options = await this.getTriggerResultRequestOpts(parameters);
    Object.assign(options.headers, headers);
    return answer(this.request(options, { signal }));
  }
}

/**
 * `getAccessToken` through the generated client (form-encoded grant, HTTP Basic client
 * authentication), sent to the configured token URL, which need not end with the spec's path.
 * Configure it with `basePath: ''`, so the full URL can stand in for the path.
 */
export class TokenEndpoint extends TokenApi {
  /** The token service's full URL. */
  readonly url: string;

  constructor(url: string, ...configuration: ConstructorParameters<typeof TokenApi>) {
    super(...configuration);
    this.url = url;
  }

  /** Asks the token service for a client-credentials token. */
  async send(headers: HTTPHeaders, signal: AbortSignal): Promise<Response> {
    const generated = await this.getAccessTokenRequestOpts({
      grantType: GetAccessTokenGrantTypeEnum.ClientCredentials,
      scope: SCOPE,
    });
    const options: RequestOpts = { ...generated, path: this.url, headers: { ...headers, ...generated.headers } };
    return answer(this.request(options, { signal }));
  }
}
