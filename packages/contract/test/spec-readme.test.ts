// spec/README.md maps every fact of Alvaria's API reference to the spec: its citations point into
// the copy of the reference kept in the repo, at lines that exist and say what is cited.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../src/paths';

const REFERENCE = 'upstream/alvaria-autofacilitate-api-reference.txt';
const readme = readFileSync(join(workspaceRoot, 'spec/README.md'), 'utf8');
const reference = readFileSync(join(workspaceRoot, 'spec', REFERENCE), 'utf8').split('\n');

/** Every link of the README into the reference: the text shown and the lines it points at. */
const citations = [...readme.matchAll(/\[([^\]]+)\]\(([^)#]+)#L(\d+)(?:-L(\d+))?\)/g)].map(
  ([, text, file, from, to]) => ({
    text: text!,
    file: file!,
    from: Number(from),
    to: Number(to ?? from),
  }),
);

test('the README cites the reference in the repo, and nothing outside it', () => {
  expect(citations.length).toBeGreaterThan(50);
  expect(new Set(citations.map((citation) => citation.file))).toEqual(new Set([REFERENCE]));
  expect(readme).not.toMatch(/shared\/seeds|\bseed\b/i);
});

test('every citation points at lines the reference has, and shows the lines it points at', () => {
  for (const { text, from, to } of citations) {
    if (/^\d/.test(text)) expect(text).toBe(from === to ? `${from}` : `${from}–${to}`);
    expect({ text, inReference: from >= 1 && to <= reference.length && from <= to }).toEqual({
      text,
      inReference: true,
    });
    expect(
      reference
        .slice(from - 1, to)
        .join('')
        .trim(),
    ).not.toBe('');
  }
});

test.each([
  ['Title, version 1.0.0', 'Alvaria™ Cloud AutoFacilitate REST API v1.0.0'],
  ['Token URL', 'https://myaspect.{region}.id.aspect-cloud.net/tokenservice/oauth2/access_token'],
  ['`POST /via/v2/organizations/{orgId}/autoFacilitate/execute/{vsn}`', '/autoFacilitate/execute/{vsn}'],
  [
    '`GET /via/v2/organizations/{orgId}/autoFacilitate/result/{vsn}/triggerUUID/{triggerUUID}`',
    '/result/{vsn}/triggerUUID/{triggerUUID}',
  ],
  ['204 "Successful response", no body', '204'],
])('the row %s cites lines that say %s', (row, said) => {
  const line = readme.split('\n').find((candidate) => candidate.startsWith(`| ${row}`));
  expect(line).toBeDefined();
  const cited = citations.filter((citation) => line!.includes(`(${citation.file}#L${citation.from}`));
  expect(cited.length).toBeGreaterThan(0);
  expect(
    cited.some(({ from, to }) =>
      reference
        .slice(from - 1, to)
        .join('\n')
        .includes(said),
    ),
  ).toBe(true);
});
