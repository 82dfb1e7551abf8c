import type { AdminTrigger, DeliveryState, TriggerState } from '@autofacilitate/sdk';
import { createAdminClient } from '../client';
import type { CommandContext } from '../context';
import { ExitCode } from '../exit-codes';
import { printResult } from '../output';
import { parsePositiveInteger } from '../parse-number';
import { UsageError } from '../usage-error';

// The admin commands: the self-hosted server's admin operations, through the SDK's admin client.

export interface TriggersOptions {
  status?: string;
  vsn?: string;
  since?: string;
  before?: string;
  callbackState?: string;
  limit?: string;
}

const triggerStates = ['queued', 'running', 'succeeded', 'failed', 'timed_out'];
const deliveryStates = ['pending', 'delivered', 'gone', 'failed'];

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly string[]): T | undefined {
  if (value !== undefined && !allowed.includes(value))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}`);
  return value as T | undefined;
}

function date(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new UsageError(`${flag} must be a date such as 2026-01-01T12:00:00Z`);
  return parsed;
}

const iso = (value: Date | undefined) => value?.toISOString() ?? '-';

/** `triggers`: the organisation's triggers, newest first, filtered; at most `--limit` of them. */
export async function triggers(context: CommandContext, options: TriggersOptions): Promise<ExitCode> {
  const limit = options.limit === undefined ? 20 : parsePositiveInteger('--limit', options.limit);
  const filters = {
    status: oneOf<TriggerState>('--status', options.status, triggerStates),
    vsn: options.vsn,
    createdFrom: date('--since', options.since),
    createdBefore: date('--before', options.before),
    callbackState: oneOf<DeliveryState>('--callback-state', options.callbackState, deliveryStates),
    pageSize: Math.min(limit, 100),
  };
  const admin = createAdminClient(context.settings());
  const found = [];
  for await (const trigger of admin.triggers(filters)) {
    found.push(trigger);
    if (found.length === limit) break;
  }
  const row = (status: string, vsn: string, triggerUUID: string, createdAt: string) =>
    `${status.padEnd(10)} ${vsn.padEnd(16)} ${triggerUUID.padEnd(36)}  ${createdAt}`;
  // A header names the columns, in the API's words, above the rows it heads.
  const lines = found.map((trigger) => row(trigger.status, trigger.vsn, trigger.triggerUUID, iso(trigger.createdAt)));
  const table = [row('STATUS', 'VSN', 'TRIGGERUUID', 'CREATEDAT'), ...lines].join('\n');
  printResult(context.output, found, lines.length > 0 ? table : 'No triggers');
  return ExitCode.ok;
}

function describeTrigger(trigger: AdminTrigger): string {
  const lines = [
    `${trigger.status}  ${trigger.vsn}  ${trigger.triggerUUID}`,
    `parameters: ${JSON.stringify(trigger.triggerParameters)}`,
  ];
  if (trigger.output !== undefined) lines.push(`output:     ${JSON.stringify(trigger.output)}`);
  if (trigger.error) lines.push(`error:      ${trigger.error.reason}: ${trigger.error.message}`);
  lines.push('timeline:');
  for (const entry of trigger.timeline) {
    const attempt =
      entry.event === 'callback_attempt'
        ? ` delivery ${entry.deliveryId} attempt ${entry.attempt}: ${entry.statusCode ?? ''} ${entry.error ?? ''}`.trimEnd()
        : '';
    lines.push(`  ${iso(entry.at)}  ${entry.event}${attempt}`);
  }
  for (const delivery of trigger.deliveries) {
    lines.push(
      `delivery ${delivery.deliveryId}: ${delivery.status}, ${delivery.attempts.length} attempt(s), ${delivery.url} (webhook-id ${delivery.webhookId})`,
    );
  }
  return lines.join('\n');
}

/** `trigger <triggerUUID>`: one trigger with its timeline and every callback delivery. */
export async function trigger(context: CommandContext, triggerUUID: string): Promise<ExitCode> {
  const found = await createAdminClient(context.settings()).trigger(triggerUUID);
  printResult(context.output, found, describeTrigger(found));
  return ExitCode.ok;
}

/** `deliveries resend <triggerUUID> <deliveryId>`: sends a callback again, under its `webhook-id`. */
export async function resend(context: CommandContext, triggerUUID: string, deliveryId: string): Promise<ExitCode> {
  const id = parsePositiveInteger('<deliveryId>', deliveryId);
  const delivery = await createAdminClient(context.settings()).resend(triggerUUID, id);
  printResult(
    context.output,
    delivery,
    `Delivery ${delivery.deliveryId} of ${triggerUUID} is due again (webhook-id ${delivery.webhookId})`,
  );
  return ExitCode.ok;
}

/** `services`: the organisation's services, their queue and last hour's success rate. */
export async function services(context: CommandContext): Promise<ExitCode> {
  const found = await createAdminClient(context.settings()).services();
  const rate = (value: number | undefined) => (value === undefined ? '-' : `${Math.round(value * 100)}%`);
  const lines = found.map(
    ({ vsn, kind, concurrency, queued, running, lastHour }) =>
      `${vsn.padEnd(16)} ${kind.padEnd(7)} concurrency ${concurrency}  queued ${queued}  running ${running}  last hour ${rate(lastHour.successRate)} of ${lastHour.succeeded + lastHour.failed + lastHour.timedOut}`,
  );
  printResult(context.output, found, lines.join('\n'));
  return ExitCode.ok;
}
