import type { Command } from 'commander';
import { resend, services, trigger, triggers } from './commands/admin';
import type { CommandContext } from './context';

type Action = <A extends unknown[]>(
  command: (context: CommandContext, ...args: A) => Promise<number>,
) => (...args: A) => Promise<void>;

/** The admin commands of a self-hosted server, which take --admin-key instead of client credentials. */
export function addAdminCommands(program: Command, action: Action): void {
  program
    .command('triggers')
    .description("list the organisation's triggers, newest first (admin key; self-hosted server)")
    .option('--status <state>', 'queued, running, succeeded, failed or timed_out')
    .option('--vsn <vsn>', 'triggers of this service')
    .option('--since <date>', 'created at or after this date')
    .option('--before <date>', 'created before this date')
    .option('--callback-state <state>', 'with a callback delivery that is pending, delivered, gone or failed')
    .option('--limit <n>', 'print at most this many (default: 20)')
    .action(action((context, options) => triggers(context, options)));

  program
    .command('trigger')
    .description('print a trigger with its timeline and every callback attempt (admin key)')
    .argument('<triggerUUID>', 'the trigger')
    .action(action((context, triggerUUID: string) => trigger(context, triggerUUID)));

  program
    .command('deliveries')
    .description("a trigger's callback deliveries (admin key)")
    .command('resend')
    .description('send a callback again, as a new attempt under the same webhook-id')
    .argument('<triggerUUID>', 'the trigger')
    .argument('<deliveryId>', 'the delivery, as `autofacilitate trigger` lists it')
    .action(action((context, triggerUUID: string, deliveryId: string) => resend(context, triggerUUID, deliveryId)));

  program
    .command('services')
    .description("list the organisation's services, their queue and last hour's success rate (admin key)")
    .action(action((context) => services(context)));
}
