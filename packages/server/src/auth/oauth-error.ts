/** The error codes of RFC 6749 §5.2. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/** A refusal of the token endpoint, answered as RFC 6749 §5.2 says. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';

  constructor(
    readonly error: OAuthErrorCode,
    description: string,
  ) {
    super(description);
  }

  /** 401 when the client could not be authenticated, 400 otherwise. */
  get statusCode(): 400 | 401 {
    return this.error === 'invalid_client' ? 401 : 400;
  }

  toResponse(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}
