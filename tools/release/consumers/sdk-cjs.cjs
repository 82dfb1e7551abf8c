// A CommonJS application on the published SDK, run by the release end-to-end test in a new project
// outside the repo: `node sdk-cjs.cjs`. Prints what it got, as one JSON line.
const { AutoFacilitate } = require('@autofacilitate/sdk');

async function main() {
  const baseUrl = process.env.AUTOFACILITATE_BASE_URL;
  if (!baseUrl) throw new Error('Set AUTOFACILITATE_BASE_URL to the API to call.');

  const autoFacilitate = new AutoFacilitate({
    orgId: 'acme',
    baseUrl,
    clientId: 'consumer-client',
    clientSecret: 'consumer-secret',
    apiKey: 'consumer-key',
  });
  const triggered = await autoFacilitate.execute('ServerName', { key: 'value' });
  const outcome = await autoFacilitate.executeAndWait('ServerName', { key: 'value' });
  console.log(
    JSON.stringify({ package: 'sdk', module: 'cjs', triggerUUID: triggered.triggerUUID, status: outcome.status }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
