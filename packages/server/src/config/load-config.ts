import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import { hashApiKey, hashClientSecret, isClientSecretHash } from '../auth/secret-hash';
import { parseAllowedRange } from '../callbacks/address-guard';
import { callbackSecretKey } from '../callbacks/callback-secret';
import { ConfigError } from '../errors/catalogue';
import { applyAdminSecrets } from './admin-secrets';
import { configSchema } from './config-schema';
import { applyOtlpEnvironment } from '../tracing/otlp-endpoint';
import { apiKeyVariable, callbackSecretVariable, clientSecretVariable, postgresUrlVariable } from './env-overrides';
import type { ServerConfig } from './server-config';

/** Where a configuration comes from, to resolve its relative paths and secrets. */
export interface ConfigSource {
  /** Named in every error message: the file, or what stands for it. */
  origin: string;
  /** Relative paths in the configuration are resolved against this folder. */
  baseDir: string;
  /** Where secrets that override the file come from. */
  env: NodeJS.ProcessEnv;
  /** Missing client secrets and API keys are no problem: for commands that only read the store. */
  withoutSecrets?: boolean;
}

const validate = new Ajv({ allErrors: true, useDefaults: true, discriminator: true }).compile(configSchema);

// What a pattern means, for people, by the key it guards.
const patternMeanings: Record<string, string> = {
  secretHash: 'must be a hash made by "autofacilitate-server hash-secret"',
  hash: 'must be a hash made by "autofacilitate-server new-api-key"',
  url: 'must be an http:// or https:// URL',
};

const postgresUrlMeaning = 'must be a postgres:// or postgresql:// URL';

const callbackSecretMeaning =
  'must be whsec_ and the base64 of 24 to 64 bytes, as "autofacilitate-server new-callback-secret" makes';

function keyPath(instancePath: string, ...more: string[]): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [...parts, ...more].join('.') || '(top level)';
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'pattern' && /\/retrySchedule\/\d+$/.test(error.instancePath)) {
    return `${keyPath(error.instancePath)}: must be a duration such as 150ms, 5s, 30m or 2h`;
  }
  if (error.keyword === 'pattern' && error.instancePath === '/storage/postgres/url') {
    return `storage.postgres.url: ${postgresUrlMeaning}`;
  }
  if (error.keyword === 'pattern' && /\/callbackSecrets\/\d+$/.test(error.instancePath)) {
    return `${keyPath(error.instancePath)}: ${callbackSecretMeaning}`;
  }
  switch (error.keyword) {
    case 'propertyNames':
      return `${keyPath(error.instancePath, String(params.propertyName))}: the API's paths carry names of 1 to 128 characters`;
    case 'additionalProperties':
      return `${keyPath(error.instancePath, String(params.additionalProperty))}: unknown key`;
    case 'required':
      return `${keyPath(error.instancePath, String(params.missingProperty))}: missing`;
    case 'discriminator':
      return `${keyPath(error.instancePath, 'kind')}: must be one of echo, sleep, fail, http, module`;
    case 'enum':
      return `${keyPath(error.instancePath)}: must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'pattern': {
      const key = error.instancePath.split('/').pop() ?? '';
      return `${keyPath(error.instancePath)}: ${patternMeanings[key] ?? error.message}`;
    }
    default:
      return `${keyPath(error.instancePath)}: ${error.message}`;
  }
}

async function applySecrets(config: ServerConfig, source: ConfigSource, problems: string[]): Promise<void> {
  const postgresUrl = source.env[postgresUrlVariable];
  if (postgresUrl) {
    if (/^postgres(ql)?:\/\//.test(postgresUrl)) config.storage.postgres.url = postgresUrl;
    else problems.push(`${postgresUrlVariable}: ${postgresUrlMeaning}`);
  }
  const clientOwners = new Map<string, string>();
  const apiKeyOwners = new Map<string, string>();
  for (const [orgId, organisation] of Object.entries(config.organisations)) {
    for (const [clientId, client] of Object.entries(organisation.clients)) {
      const key = `organisations.${orgId}.clients.${clientId}`;
      const owner = clientOwners.get(clientId);
      if (owner) problems.push(`${key}: the client id is also used in organisations.${owner}`);
      clientOwners.set(clientId, orgId);
      const variable = clientSecretVariable(clientId);
      const secret = source.env[variable];
      if (secret) {
        client.secretHash = await hashClientSecret(secret);
      } else if (client.secretHash === undefined) {
        if (!source.withoutSecrets)
          problems.push(`${key}.secretHash: missing (or set the environment variable ${variable})`);
      } else if (!isClientSecretHash(client.secretHash)) {
        problems.push(`${key}.secretHash: ${patternMeanings.secretHash}`);
      }
    }
    for (const [name, apiKey] of Object.entries(organisation.apiKeys)) {
      const key = `organisations.${orgId}.apiKeys.${name}`;
      const variable = apiKeyVariable(orgId, name);
      const plain = source.env[variable];
      if (plain) {
        apiKey.hash = hashApiKey(plain);
      } else if (apiKey.hash === undefined) {
        if (!source.withoutSecrets) problems.push(`${key}.hash: missing (or set the environment variable ${variable})`);
        continue;
      }
      const owner = apiKeyOwners.get(apiKey.hash);
      if (owner) problems.push(`${key}: the same key is also ${owner}`);
      apiKeyOwners.set(apiKey.hash, key);
    }
    const fromEnv = source.env[callbackSecretVariable(orgId)]?.split(/\s+/).filter(Boolean);
    if (fromEnv && fromEnv.length > 0) organisation.callbackSecrets = fromEnv;
    (organisation.callbackSecrets ?? []).forEach((secret, index) => {
      if (!callbackSecretKey(secret)) {
        const origin = fromEnv ? ` (from ${callbackSecretVariable(orgId)})` : '';
        problems.push(`organisations.${orgId}.callbackSecrets.${index}${origin}: ${callbackSecretMeaning}`);
      }
    });
  }
}

function checkCallbacks(config: ServerConfig, problems: string[]): void {
  config.callbacks.allow.forEach((range, index) => {
    if (!parseAllowedRange(range))
      problems.push(`callbacks.allow.${index}: must be an IP address or a CIDR range, such as 10.1.0.0/16`);
  });
}

// Node refuses a server whose headers may take longer than the whole request.
function checkTimeouts(config: ServerConfig, problems: string[]): void {
  const { headersTimeoutMs, requestTimeoutMs } = config.server;
  if (headersTimeoutMs > requestTimeoutMs) {
    problems.push(`server.headersTimeoutMs: must be at most server.requestTimeoutMs (${requestTimeoutMs})`);
  }
}

function resolvePaths(config: ServerConfig, source: ConfigSource, problems: string[]): void {
  config.storage.sqlite.file = resolve(source.baseDir, config.storage.sqlite.file);
  for (const [orgId, organisation] of Object.entries(config.organisations)) {
    for (const [vsn, service] of Object.entries(organisation.services)) {
      if (service.kind !== 'module') continue;
      service.module = resolve(source.baseDir, service.module);
      if (!existsSync(service.module)) {
        problems.push(`organisations.${orgId}.services.${vsn}.module: no such file: ${service.module}`);
      }
    }
  }
}

/**
 * Checks a configuration, fills in its defaults, resolves its paths and applies the secrets from
 * the environment. Throws a {@link ConfigError} that lists every problem found.
 */
export async function resolveConfig(raw: unknown, source: ConfigSource): Promise<ServerConfig> {
  const config = structuredClone(raw);
  if (!validate(config)) {
    // A name refused by `propertyNames` is reported once, by that keyword, not by the rule it broke.
    const problems = (validate.errors ?? []).filter((error) => error.propertyName === undefined).map(describe);
    throw new ConfigError(`${source.origin}:\n  ${[...new Set(problems)].join('\n  ')}`);
  }
  const typed = config as unknown as ServerConfig;
  const problems: string[] = [];
  await applySecrets(typed, source, problems);
  applyOtlpEnvironment(typed, source.env, problems);
  applyAdminSecrets(typed, source, problems);
  resolvePaths(typed, source, problems);
  checkCallbacks(typed, problems);
  checkTimeouts(typed, problems);
  if (problems.length > 0) throw new ConfigError(`${source.origin}:\n  ${problems.join('\n  ')}`);
  return typed;
}

/**
 * Reads a configuration file (YAML, or JSON, which is YAML too) and resolves it. `withoutSecrets`:
 * for commands that only read the store, which need no client secret or API key.
 */
export async function loadConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  { withoutSecrets = false } = {},
): Promise<ServerConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(`${path}:\n  ${document.errors.map((error) => error.message).join('\n  ')}`);
  }
  return resolveConfig(document.toJS(), { origin: path, baseDir: dirname(path), env, withoutSecrets });
}
