// The execute body as XML, in the shape of Alvaria's API reference:
//   <root><triggerParameters><key>value</key></triggerParameters><callbackUrls>…</callbackUrls></root>
// The generator cannot send XML, so this is the one body the SDK writes itself.
import { refuse, type TriggerParameters } from './trigger-input';

// XML 1.0 §2.3 `Name`, without ':' (a prefix would need a namespace declaration the body has not got).
const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// eslint-disable-next-line no-misleading-character-class -- NameChar's combining marks are a range, not one combined character.
const XML_NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');
// XML 1.0 §2.2 `Char`: what a document may contain at all, even escaped.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Escapes element text. `\r` becomes a character reference, since parsers turn a raw one into `\n`. */
function text(value: string, scope: string): string {
  if (NOT_XML_CHAR.test(value))
    refuse(
      `${scope} contains a character XML cannot carry (control character or lone surrogate)`,
      scope,
      'Invalid XML character',
    );
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

/**
 * Writes the execute body as XML. Parameter names become element names, so a name that is not a
 * valid XML name (`1st`, `a b`, `x:y`, …) is refused with a `ValidationError` naming it.
 */
export function triggerXml(triggerParameters: TriggerParameters, callbackUrls: readonly string[] | undefined): string {
  let parameters = '';
  for (const [name, value] of Object.entries(triggerParameters)) {
    const scope = `triggerParameters.${name}`;
    if (!XML_NAME.test(name)) {
      refuse(
        `The parameter name ${JSON.stringify(name)} is not a valid XML element name, so it cannot be sent as XML; send it as JSON instead`,
        scope,
        'Invalid XML name',
      );
    }
    parameters += `<${name}>${text(value, scope)}</${name}>`;
  }
  // An empty element would read back as an empty string, not an empty map: leave it out instead.
  const body =
    (parameters === '' ? '' : `<triggerParameters>${parameters}</triggerParameters>`) +
    (callbackUrls ?? [])
      .map((url, index) => `<callbackUrls>${text(url, `callbackUrls[${index}]`)}</callbackUrls>`)
      .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<root>${body}</root>`;
}
