// An ESM TypeScript application on the published generated client, run by the release end-to-end
// test in a new project outside the repo: `node client-esm.mts` (Node's type stripping) after
// `tsc` has checked it against the published types. Prints what it got, as one JSON line.
import {
  Configuration,
  ExecuteApi,
  GetAccessTokenGrantTypeEnum,
  ResultApi,
  TokenApi,
  type TriggerResult,
} from '@autofacilitate/client';

const basePath = process.env.AUTOFACILITATE_BASE_URL;
if (!basePath) throw new Error('Set AUTOFACILITATE_BASE_URL to the API to call.');

const token = await new TokenApi(
  new Configuration({ basePath, username: 'consumer-client', password: 'consumer-secret' }),
).getAccessToken({
  grantType: GetAccessTokenGrantTypeEnum.ClientCredentials,
  scope: 'autofacilitateapi',
});
const configuration = new Configuration({
  basePath,
  accessToken: async () => `Bearer ${token.accessToken}`,
  apiKey: 'consumer-key',
});
const triggered: TriggerResult = await new ExecuteApi(configuration).executeService({
  orgId: 'acme',
  vsn: 'ServerName',
  triggerParameter: { triggerParameters: { key: 'value' } },
});
if (!triggered.triggerUUID) throw new Error('execute answered no triggerUUID');
const outcome = await new ResultApi(configuration).getTriggerResult({
  orgId: 'acme',
  vsn: 'ServerName',
  triggerUUID: triggered.triggerUUID,
});

console.log(
  JSON.stringify({ package: 'client', module: 'esm', triggerUUID: triggered.triggerUUID, status: outcome?.status }),
);
