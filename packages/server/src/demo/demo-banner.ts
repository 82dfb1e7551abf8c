/** What the banner shows. */
export interface DemoBannerFacts {
  url: string;
  orgId: string;
  clientId: string;
  clientSecret: string;
  apiKey: string;
  callbackSecret: string;
  adminKey: string;
  /** The folder that keeps the demo's SQLite file and credentials. */
  dataDir: string;
  services: string[];
}

/** The demo's greeting: its credentials and curl commands that run `echo`, ready to paste into a shell. */
export function demoBanner(facts: DemoBannerFacts): string {
  const { url, orgId, clientId, clientSecret, apiKey } = facts;
  const api = `${url}/via/v2/organizations/${orgId}/autoFacilitate`;
  const auth = `-H "Authorization: Bearer $TOKEN" -H 'x-api-key: ${apiKey}'`;
  return [
    '',
    `AutoFacilitate demo server on ${url}`,
    `  organisation: ${orgId} (services: ${facts.services.join(', ')})`,
    `  client id:    ${clientId}`,
    `  secret:       ${clientSecret}`,
    `  API key:      ${apiKey}`,
    `  callbacks:    signed with ${facts.callbackSecret} (may go to 127.0.0.1 and ::1)`,
    `  admin key:    ${facts.adminKey} (Authorization: Bearer …, on ${url}/admin/v1/organizations/${orgId}/…)`,
    `  console:      ${url}/console/ (sign in with the admin key)`,
    `  data:         ${facts.dataDir} (SQLite file and credentials; delete it to start afresh)`,
    '',
    'Get a token, run echo and read its result (paste into a shell):',
    '',
    `TOKEN=$(curl -s -u '${clientId}:${clientSecret}' -d grant_type=client_credentials ${url}/tokenservice/oauth2/access_token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `TRIGGER=$(curl -s ${auth} -H 'Content-Type: application/json' -d '{"triggerParameters":{"greeting":"hello"}}' ${api}/execute/echo | sed -E 's/.*"triggerUUID":"([^"]+)".*/\\1/')`,
    `curl -s ${auth} ${api}/result/echo/triggerUUID/$TRIGGER`,
    '',
    'Stop it with Ctrl-C.',
    '',
  ].join('\n');
}
