import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { xmlDoctype, xmlEncoding, xmlMalformed, xmlMixedContent, xmlRoot, xmlUnreadable } from '../errors/catalogue';

/**
 * The seed's XML form of a trigger:
 *
 * ```xml
 * <root>
 *   <triggerParameters><key>value</key></triggerParameters>
 *   <callbackUrls>https://…</callbackUrls>
 *   <callbackUrls>https://…</callbackUrls>
 * </root>
 * ```
 *
 * is read into the object the JSON form carries, so that one schema validates both.
 */

const textNode = '#text';

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Parameters are strings, whatever they look like: `<id>007</id>` stays "007".
  parseTagValue: false,
  trimValues: true,
  textNodeName: textNode,
  // The five predefined entities and character references only: documents with a DOCTYPE, the
  // only place other entities can be declared, are refused before parsing.
  processEntities: true,
  htmlEntities: false,
  isArray: (_name, jpath) => jpath === 'root.callbackUrls',
});

function refuseMixedContent(value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === textNode) throw xmlMixedContent(path);
    refuseMixedContent(child, `${path}.${key}`);
  }
}

/** Reads a trigger sent as XML; anything but a well-formed, DOCTYPE-free `<root>` document is a 400. */
export function parseTriggerXml(text: string): unknown {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw xmlDoctype();
  const declaredEncoding = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  if (declaredEncoding && declaredEncoding.toLowerCase() !== 'utf-8') throw xmlEncoding(declaredEncoding);
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw xmlMalformed(msg, line, col);
  }
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    // The parser refuses names such as __proto__ that would reach an object's prototype.
    throw xmlUnreadable((error as Error).message);
  }
  const elements = Object.keys(document);
  if (elements.length !== 1 || elements[0] !== 'root') throw xmlRoot();
  // An empty element reads as "": an empty <root/> or <triggerParameters/> has nothing in it.
  const root = document.root === '' ? {} : document.root;
  refuseMixedContent(root, 'root');
  if (typeof root === 'object' && root !== null && (root as Record<string, unknown>).triggerParameters === '') {
    return { ...root, triggerParameters: {} };
  }
  return root;
}
