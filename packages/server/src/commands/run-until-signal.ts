import type { AutoFacilitateServer } from '../server';

/**
 * Stops the server gracefully on SIGTERM or SIGINT and then exits; a second signal exits at once.
 */
export function runUntilSignal(server: AutoFacilitateServer): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    server.app.log.info({ signal }, 'signal received');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
