// A CommonJS application on the published generated client, run by the release end-to-end test in
// a new project outside the repo: `node client-cjs.cjs`. Prints what it got, as one JSON line.
const {
  Configuration,
  ExecuteApi,
  GetAccessTokenGrantTypeEnum,
  ResultApi,
  TokenApi,
} = require('@autofacilitate/client');

async function main() {
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
  const triggered = await new ExecuteApi(configuration).executeService({
    orgId: 'acme',
    vsn: 'ServerName',
    triggerParameter: { triggerParameters: { key: 'value' } },
  });
  const outcome = await new ResultApi(configuration).getTriggerResult({
    orgId: 'acme',
    vsn: 'ServerName',
    triggerUUID: triggered.triggerUUID,
  });
  console.log(
    JSON.stringify({
      package: 'client',
      module: 'cjs',
      triggerUUID: triggered.triggerUUID,
      status: outcome && outcome.status,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
