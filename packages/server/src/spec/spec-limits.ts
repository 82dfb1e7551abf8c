/**
 * The limits of a trigger an operator may configure, and the keyword of the spec's schemas that
 * states each. The spec states the defaults; a configured limit replaces its keyword in the
 * server's copy of the spec, so that what the server enforces is always what its spec states.
 */
export const limitKeywords = {
  /** The most `triggerParameters` one trigger may have. */
  triggerParameters: ['triggerParameters', 'maxProperties'],
  /** The longest value of a parameter, in characters. */
  parameterValueLength: ['triggerParameters', 'additionalProperties', 'maxLength'],
  /** The most `callbackUrls` one trigger may have. */
  callbackUrls: ['callbackUrls', 'maxItems'],
  /** The longest callback URL, in characters. */
  callbackUrlLength: ['urls', 'maxLength'],
} as const;

export type LimitName = keyof typeof limitKeywords;

/** Limits of a trigger; absent ones are the spec's. */
export type TriggerLimits = Partial<Record<LimitName, number>>;

type Json = Record<string, unknown>;

const limitNames = Object.keys(limitKeywords) as LimitName[];

// The schema object holding a limit's keyword, and the keyword.
function holder(document: Json, name: LimitName): [Json, string] {
  const [schema, ...path] = limitKeywords[name];
  const keyword = path.pop()!;
  let node = (document.components as { schemas: Record<string, Json> }).schemas[schema] as Json;
  for (const step of path) node = node[step] as Json;
  if (typeof node?.[keyword] !== 'number') throw new Error(`The spec states no ${keyword} for ${name}`);
  return [node, keyword];
}

/** The limits a spec states. */
export function statedLimits(document: Json): Required<TriggerLimits> {
  return Object.fromEntries(
    limitNames.map((name) => {
      const [node, keyword] = holder(document, name);
      return [name, node[keyword] as number];
    }),
  ) as Required<TriggerLimits>;
}

/** A copy of the spec stating the given limits in place of its own. */
export function withLimits(document: Json, limits: TriggerLimits): Json {
  const copy = structuredClone(document);
  for (const name of limitNames) {
    const limit = limits[name];
    if (limit === undefined) continue;
    const [node, keyword] = holder(copy, name);
    node[keyword] = limit;
  }
  return copy;
}
