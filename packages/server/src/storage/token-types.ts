/** An access token, kept by the hash of its value. */
export interface TokenRecord {
  tokenHash: string;
  clientId: string;
  orgId: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
}
