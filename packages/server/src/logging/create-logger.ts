import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { ServerConfig } from '../config/server-config';

/**
 * The server's logger: JSON lines for machines (a pipe, a file, a log shipper), readable lines for
 * a person at a terminal. `auto` picks by whether standard output is a terminal; a destination of
 * the caller's (the tests') gets JSON unless `pretty` is asked for.
 */
export function createLogger(
  { logLevel, logFormat }: Pick<ServerConfig['server'], 'logLevel' | 'logFormat'>,
  destination?: DestinationStream,
  isTerminal: boolean = process.stdout.isTTY === true,
): Logger {
  if (chosenFormat(logFormat, destination, isTerminal) === 'json') return pino({ level: logLevel }, destination);
  return pino(
    { level: logLevel },
    pretty({
      // Synchronous, like pino's own standard output, so no line is lost when the process exits.
      sync: true,
      colorize: destination === undefined && isTerminal,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      ...(destination ? { destination } : {}),
    }),
  );
}

/** What `auto` means: readable lines only for a person at a terminal. */
export function chosenFormat(
  logFormat: ServerConfig['server']['logFormat'],
  destination: DestinationStream | undefined,
  isTerminal: boolean,
): 'pretty' | 'json' {
  if (logFormat !== 'auto') return logFormat;
  return destination === undefined && isTerminal ? 'pretty' : 'json';
}
