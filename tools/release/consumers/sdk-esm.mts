// An ESM TypeScript application on the published SDK, run by the release end-to-end test in a new
// project outside the repo: `node sdk-esm.mts` (Node's type stripping) after `tsc` has checked it
// against the published types. Prints what it got, as one JSON line.
import { AutoFacilitate, type TriggerFinished } from '@autofacilitate/sdk';

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
const outcome: TriggerFinished = await autoFacilitate.executeAndWait('ServerName', { key: 'value' });

console.log(
  JSON.stringify({ package: 'sdk', module: 'esm', triggerUUID: triggered.triggerUUID, status: outcome.status }),
);
