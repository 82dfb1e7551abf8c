import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { badRequest } from './api-error';

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
    if (key === textNode) throw badRequest(path, `<${path.split('.').pop()}> mixes text and elements`);
    refuseMixedContent(child, `${path}.${key}`);
  }
}

/** Reads a trigger sent as XML; anything but a well-formed, DOCTYPE-free `<root>` document is a 400. */
export function parseTriggerXml(text: string): unknown {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw badRequest('body', 'XML documents with a DOCTYPE or entity declarations are not accepted');
  }
  const declaredEncoding = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  if (declaredEncoding && declaredEncoding.toLowerCase() !== 'utf-8') {
    throw badRequest('body', `XML must be encoded in UTF-8, not ${declaredEncoding}`);
  }
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw badRequest('body', `The XML is not well-formed: ${msg} (line ${line}, column ${col})`);
  }
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    // The parser refuses names such as __proto__ that would reach an object's prototype.
    throw badRequest('body', `The XML cannot be read: ${(error as Error).message}`);
  }
  const elements = Object.keys(document);
  if (elements.length !== 1 || elements[0] !== 'root') {
    throw badRequest('body', 'The XML document element must be <root>');
  }
  // An empty element reads as "": an empty <root/> or <triggerParameters/> has nothing in it.
  const root = document.root === '' ? {} : document.root;
  refuseMixedContent(root, 'root');
  if (typeof root === 'object' && root !== null && (root as Record<string, unknown>).triggerParameters === '') {
    return { ...root, triggerParameters: {} };
  }
  return root;
}
