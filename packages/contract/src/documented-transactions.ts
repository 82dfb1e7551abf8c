import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { specPath } from './paths';

/** One (operation, request body type, response status) pair the spec documents: one Dredd transaction. */
export interface DocumentedTransaction {
  operationId: string;
  requestContentType: string | undefined;
  status: number;
}

interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Reads the spec's transactions, so suites assert "every documented one" rather than a number. */
export function documentedTransactions(): DocumentedTransaction[] {
  const spec = parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
  return Object.values(spec.paths).flatMap((pathItem) =>
    METHODS.flatMap((method) => {
      const operation = pathItem[method];
      if (!operation) return [];
      const contentTypes = operation.requestBody ? Object.keys(operation.requestBody.content) : [undefined];
      return contentTypes.flatMap((requestContentType) =>
        Object.keys(operation.responses).map((status) => ({
          operationId: operation.operationId,
          requestContentType,
          status: Number(status),
        })),
      );
    }),
  );
}

/** The admin operations: called with an admin key, by the CLI and the console, never through the facade. */
export const adminOperations: ReadonlySet<string> = new Set([
  'listAdminTriggers',
  'getAdminTrigger',
  'resendAdminDelivery',
  'listAdminServices',
  'getAdminUsage',
  'streamAdminEvents',
  'signInAdminSession',
  'getAdminSession',
  'signOutAdminSession',
]);

/** Whether Dredd can run a transaction against Prism, which cannot parse XML request bodies. */
export const isXml = (transaction: DocumentedTransaction) => transaction.requestContentType === 'application/xml';
