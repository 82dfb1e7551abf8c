import {
  clientAuthenticationFailed,
  clientAuthenticationTwice,
  clientBasicMalformed,
  clientBasicNotFormEncoded,
} from '../errors/catalogue';

/** The client credentials a token request presents. */
export interface PresentedClient {
  clientId: string;
  clientSecret: string;
}

// RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined for HTTP Basic.
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw clientBasicNotFormEncoded();
  }
}

/**
 * Reads the client's credentials from HTTP Basic or from the `client_id` and `client_secret` form
 * fields; a request may use one method only (RFC 6749 §2.3).
 */
export function presentedClient(authorization: string | undefined, form: Record<string, unknown>): PresentedClient {
  const inForm = form.client_id !== undefined || form.client_secret !== undefined;
  if (authorization !== undefined) {
    if (inForm) throw clientAuthenticationTwice();
    const encoded = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization)?.[1];
    const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw clientBasicMalformed();
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  }
  const { client_id: clientId, client_secret: clientSecret } = form;
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || clientId === '') {
    throw clientAuthenticationFailed();
  }
  return { clientId, clientSecret };
}
