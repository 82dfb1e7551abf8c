import { pathToFileURL } from 'node:url';
import type { ServiceBehaviour } from './service';

type Exports = Partial<ServiceBehaviour>;

function behaviourOf(exports: Exports | undefined): ServiceBehaviour | undefined {
  if (!exports || typeof exports.run !== 'function') return undefined;
  const { run, check } = exports;
  return {
    run: (triggerParameters, context) => Promise.resolve(run(triggerParameters, context)),
    ...(typeof check === 'function' ? { check: (triggerParameters) => check(triggerParameters) } : {}),
  };
}

/**
 * The `module` kind: a JavaScript or TypeScript module (TypeScript through Node's type stripping)
 * exporting `run(triggerParameters, context)`, and optionally `check(triggerParameters)` returning
 * the problems that make a trigger unprocessable. CommonJS modules may export them on
 * `module.exports`.
 */
export async function moduleService(file: string): Promise<ServiceBehaviour> {
  const loaded = (await import(pathToFileURL(file).href)) as Exports & { default?: Exports };
  const behaviour = behaviourOf(loaded) ?? behaviourOf(loaded.default);
  if (!behaviour) throw new Error(`${file} does not export a function run(triggerParameters, context)`);
  return behaviour;
}
