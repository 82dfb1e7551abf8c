import { Pool, types, type CustomTypesConfig } from 'pg';

/** Where a PostgreSQL storage connects. */
export interface PostgresPoolOptions {
  /** `postgres://user:password@host:port/database`, with `?sslmode=…` and the like as libpq takes them. */
  url: string;
  /** The most connections this process opens. */
  poolSize: number;
  /** Told of a connection that failed while idle (the pool drops it and opens another when needed). */
  onIdleError?: (error: Error) => void;
}

const int8 = types.builtins.INT8;

// Times are milliseconds since the epoch in BIGINT columns, and counts are BIGINT: both well within
// a JavaScript number, so they are read as numbers rather than pg's default strings. Per pool, so
// that another library sharing the process keeps pg's defaults.
const numbersForBigints: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8 && format !== 'binary'
      ? Number
      : types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

/** A pool of connections to the PostgreSQL storage. */
export function createPostgresPool(options: PostgresPoolOptions): Pool {
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize,
    types: numbersForBigints,
    application_name: 'autofacilitate-server',
  });
  // Without a listener, an idle connection ended by the server (a restart, a failover) would end the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}

/** Where a URL points, for messages: host, port and database, never the user or the password. */
export function postgresLocation(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname || 'localhost'}:${port || 5432}${pathname || '/'}`;
}

/** An error of the driver or of the server, with where it happened and never the password. */
export function postgresError(url: string, error: unknown): Error {
  const { message, code } = error as { message?: string; code?: string };
  // Node's connection errors to several addresses at once come as an AggregateError without a message.
  return new Error(`PostgreSQL at ${postgresLocation(url)}: ${message || code || String(error)}`, { cause: error });
}
