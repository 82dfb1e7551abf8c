// Renders the spec to one self-contained HTML page with Redocly's build-docs.
//   node tools/docs/render-docs.mjs [spec] [output]
// `--inlineBundle` embeds the Redoc scripts, so the page opens offline; the page is then checked for
// anything it would still fetch to run or look right. Run from the repo root.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run docs` (and the spec review) put the rendered page. */
export const DOCS_OUTPUT = 'dist/docs/autofacilitate.html';

/** Renders `spec` to `output` and returns the output's absolute path. */
export function renderDocs(spec = 'spec/autofacilitate.yaml', output = DOCS_OUTPUT) {
  const target = resolve(output);
  mkdirSync(dirname(target), { recursive: true });
  // Rendered beside the target, then renamed over it: `nx run spec:docs` and a spec review may
  // render at the same time, and neither may see (or leave) half a page.
  const draft = `${target}.${process.pid}.tmp`;
  try {
    run(
      process.execPath,
      [
        resolve('node_modules/@redocly/cli/bin/cli.js'),
        'build-docs',
        resolve(spec),
        '--inlineBundle',
        '--config',
        resolve(dirname(fileURLToPath(import.meta.url)), 'redocly.yaml'),
        '--output',
        draft,
      ],
      // The CLI otherwise reports usage and checks for updates over the network: docs build offline.
      { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    );
    const html = withoutRemoteLogo(readFileSync(draft, 'utf8'));
    writeFileSync(draft, html);
    const external = externalResources(html);
    if (external.length > 0) throw new Error(`${output} would not be self-contained: it loads ${external.join(', ')}`);
    renameSync(draft, target);
  } finally {
    rmSync(draft, { force: true });
  }
  return target;
}

// Redoc draws the logo of its "API docs by Redocly" credit from Redocly's CDN, and no option turns
// that off: the page shows the name in its place, so it makes no request to another host.
const REMOTE_LOGO = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const NAME_AS_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16"><text x="0" y="13" font-family="sans-serif" font-size="13" fill="#888">Redocly</text></svg>',
)}`;

/** The page with Redoc's credit logo drawn from the page itself. */
export function withoutRemoteLogo(html) {
  if (html.search(REMOTE_LOGO) === -1)
    throw new Error('Redoc no longer loads its logo from cdn.redoc.ly: check render-docs.mjs');
  return html.replace(REMOTE_LOGO, NAME_AS_LOGO);
}

// The notice build-docs boxes in ╔═╗ on every run: noise in an error message.
const BANNER = /^\s*[╔║╚].*$/gm;

/** Runs a command quietly (build-docs prints a banner on every run), showing its output if it fails. */
function run(command, args, options) {
  try {
    execFileSync(command, args, { ...options, stdio: 'pipe' });
  } catch (error) {
    const output = `${error.stdout}${error.stderr}`.replace(BANNER, '').trim();
    throw new Error(`Rendering the docs failed: ${output}`, { cause: error });
  }
}

/**
 * The scripts, stylesheets, fonts and frames a page loads from elsewhere: what it cannot do without
 * when offline. Plain links (`<a href>`) are not resources and are allowed.
 */
export function externalResources(html) {
  const found = new Set();
  for (const [tag] of html.matchAll(/<(script|link|iframe|img)\b[^>]*>/gi)) {
    const url = /\b(src|href)\s*=\s*["']?((https?:)?\/\/[^"'\s>]+)/i.exec(tag)?.[2];
    if (url) found.add(url);
  }
  for (const [, url] of html.matchAll(/@import\s+(?:url\()?["']?((https?:)?\/\/[^"')\s]+)/gi)) found.add(url);
  return [...found];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [spec, output] = process.argv.slice(2);
  try {
    // Relative: nx replays this line from its cache, which other checkouts of the repo may share.
    console.log(`Rendered ${relative(process.cwd(), renderDocs(spec, output))}`);
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
