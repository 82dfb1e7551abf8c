import { SaxesParser } from 'saxes';
import { xmlDoctype, xmlEncoding, xmlMalformed, xmlMixedContent, xmlRoot } from '../errors/catalogue';

/**
 * The XML form of a trigger in Alvaria's API reference:
 *
 * ```xml
 * <root>
 *   <triggerParameters><key>value</key></triggerParameters>
 *   <callbackUrls>https://…</callbackUrls>
 *   <callbackUrls>https://…</callbackUrls>
 * </root>
 * ```
 *
 * is read into the object the JSON form carries, so that one schema validates both and both mean
 * the same: character references decoded, text kept as sent (never trimmed), a name repeated
 * keeps its last value as `JSON.parse` does, and any name stored as an own property (`__proto__`
 * included), as `JSON.parse` stores it.
 */

interface Element {
  name: string;
  children: Element[];
  text: string;
}

// Own properties, whatever their name: assigning `__proto__` would set the prototype instead.
function put(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

function valueOf(element: Element, path: string): unknown {
  if (element.children.length === 0) return element.text;
  if (element.text.trim() !== '') throw xmlMixedContent(path);
  const object: Record<string, unknown> = {};
  for (const child of element.children) put(object, child.name, valueOf(child, `${path}.${child.name}`));
  return object;
}

/** Reads a whole document with a strict XML parser; anything not well-formed is a 400 saying where. */
function documentOf(text: string): Element {
  const parser = new SaxesParser();
  const open: Element[] = [];
  let document: Element | undefined;
  parser.on('error', (error) => {
    throw xmlMalformed(error.message.replace(/^[^:]*:\d+:\d+: /, ''), parser.line, parser.column);
  });
  parser.on('opentag', ({ name }) => {
    const element = { name, children: [], text: '' };
    open.at(-1)?.children.push(element);
    open.push(element);
  });
  const addText = (content: string) => {
    const element = open.at(-1);
    if (element) element.text += content;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const element = open.pop();
    if (open.length === 0) document = element;
  });
  parser.write(text).close();
  return document!;
}

/** Reads a trigger sent as XML; anything but a well-formed, DOCTYPE-free `<root>` document is a 400. */
export function parseTriggerXml(text: string): unknown {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw xmlDoctype();
  const declaredEncoding = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  if (declaredEncoding && declaredEncoding.toLowerCase() !== 'utf-8') throw xmlEncoding(declaredEncoding);
  const root = documentOf(text);
  if (root.name !== 'root') throw xmlRoot();
  if (root.children.length === 0 && root.text.trim() === '') return {};
  if (root.children.length === 0 || root.text.trim() !== '') return valueOf(root, 'root');
  const trigger: Record<string, unknown> = {};
  const callbackUrls: unknown[] = [];
  for (const child of root.children) {
    const path = `root.${child.name}`;
    if (child.name === 'callbackUrls') callbackUrls.push(valueOf(child, path));
    // An empty <triggerParameters/> holds no parameter.
    else if (child.name === 'triggerParameters' && child.children.length === 0 && child.text.trim() === '')
      put(trigger, child.name, {});
    else put(trigger, child.name, valueOf(child, path));
  }
  if (callbackUrls.length > 0) put(trigger, 'callbackUrls', callbackUrls);
  return trigger;
}
