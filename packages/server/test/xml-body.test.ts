import { ApiError } from '../src/errors/server-error';
import { parseTriggerXml } from '../src/http/xml-body';

/** The refusal `parseTriggerXml` throws for `xml`: its code and its one problem. */
function refusalOf(xml: string): { code: string; statusCode: number; scope: string; message: string } {
  try {
    parseTriggerXml(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const { code, statusCode, problems } = error as ApiError;
    expect(problems).toHaveLength(1);
    return { code, statusCode, scope: problems[0].scope, message: problems[0].message };
  }
  throw new Error(`parseTriggerXml accepted ${xml}`);
}

describe('reads', () => {
  test("the example of Alvaria's API reference into the object its JSON form carries", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" ?>
<root>
<triggerParameters>
<key>value</key>
</triggerParameters>
<callbackUrls>https://mycompany.com/callbacks/id=123</callbackUrls>
</root>`;
    expect(parseTriggerXml(xml)).toEqual({
      triggerParameters: { key: 'value' },
      callbackUrls: ['https://mycompany.com/callbacks/id=123'],
    });
  });

  test('repeated callbackUrls elements as one array, in order', () => {
    const xml =
      '<root><callbackUrls>https://a.example/1</callbackUrls><callbackUrls>https://b.example/2</callbackUrls></root>';
    expect(parseTriggerXml(xml)).toEqual({ callbackUrls: ['https://a.example/1', 'https://b.example/2'] });
  });

  test('parameter values as strings, whatever they look like', () => {
    const xml = '<root><triggerParameters><id>007</id><flag>true</flag><amount>1e3</amount></triggerParameters></root>';
    expect(parseTriggerXml(xml)).toEqual({ triggerParameters: { id: '007', flag: 'true', amount: '1e3' } });
  });

  test("XML's five predefined entities, and no attributes", () => {
    const xml =
      '<root><triggerParameters><q lang="en">a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</q></triggerParameters></root>';
    expect(parseTriggerXml(xml)).toEqual({ triggerParameters: { q: 'a & b <c> "d" \'e\'' } });
  });

  test('an empty root or an empty triggerParameters as nothing in it', () => {
    expect(parseTriggerXml('<root/>')).toEqual({});
    expect(parseTriggerXml('<root></root>')).toEqual({});
    expect(parseTriggerXml('<root><triggerParameters/></root>')).toEqual({ triggerParameters: {} });
  });

  test('a declaration of UTF-8 in any case', () => {
    expect(parseTriggerXml('<?xml version="1.0" encoding="utf-8"?><root/>')).toEqual({});
  });
});

describe('refuses with a 400 on the body', () => {
  test('a DOCTYPE, the only place entities can be declared', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE root [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><root>&xxe;</root>';
    expect(refusalOf(xxe)).toEqual({
      code: 'AF_ERR_XML_DOCTYPE',
      statusCode: 400,
      scope: 'body',
      message: 'XML documents with a DOCTYPE or entity declarations are not accepted',
    });
    expect(refusalOf('<root><!ENTITY a "b"></root>').code).toBe('AF_ERR_XML_DOCTYPE');
  });

  test('an encoding other than UTF-8', () => {
    expect(refusalOf('<?xml version="1.0" encoding="ISO-8859-1"?><root/>')).toEqual({
      code: 'AF_ERR_XML_ENCODING',
      statusCode: 400,
      scope: 'body',
      message: 'XML must be encoded in UTF-8, not ISO-8859-1',
    });
  });

  test('XML that is not well-formed, saying where', () => {
    const refusal = refusalOf('<root>\n<triggerParameters></root>');
    expect(refusal).toMatchObject({ code: 'AF_ERR_XML_MALFORMED', statusCode: 400, scope: 'body' });
    expect(refusal.message).toMatch(/^The XML is not well-formed: .+ \(line 2, column \d+\)$/);
  });

  test('a document element other than <root>', () => {
    expect(refusalOf('<trigger/>')).toEqual({
      code: 'AF_ERR_XML_ROOT',
      statusCode: 400,
      scope: 'body',
      message: 'The XML document element must be <root>',
    });
  });

  test('text mixed with elements, naming the element', () => {
    expect(refusalOf('<root><triggerParameters>text<key>value</key></triggerParameters></root>')).toEqual({
      code: 'AF_ERR_XML_MIXED_CONTENT',
      statusCode: 400,
      scope: 'root.triggerParameters',
      message: '<triggerParameters> mixes text and elements',
    });
  });

  test('an undeclared entity, and a character reference to a character XML forbids', () => {
    expect(refusalOf('<root><triggerParameters><a>&unknown;</a></triggerParameters></root>').code).toBe(
      'AF_ERR_XML_MALFORMED',
    );
    expect(refusalOf('<root><triggerParameters><a>&#0;</a></triggerParameters></root>').code).toBe(
      'AF_ERR_XML_MALFORMED',
    );
    expect(refusalOf('<root><triggerParameters><a>\u0001</a></triggerParameters></root>').code).toBe(
      'AF_ERR_XML_MALFORMED',
    );
  });
});

describe('means what the same JSON means', () => {
  test('character references decoded', () => {
    expect(parseTriggerXml('<root><triggerParameters><a>&#65;&#x263A;</a></triggerParameters></root>')).toEqual({
      triggerParameters: { a: 'A☺' },
    });
  });

  test('text kept as sent, spaces included', () => {
    expect(parseTriggerXml('<root><triggerParameters><a> x </a><b> </b></triggerParameters></root>')).toEqual({
      triggerParameters: { a: ' x ', b: ' ' },
    });
  });

  test('a name repeated keeps its last value, as JSON.parse does', () => {
    const xml = '<root><triggerParameters><a>1</a><a>2</a></triggerParameters></root>';
    expect(parseTriggerXml(xml)).toEqual(JSON.parse('{"triggerParameters":{"a":"1","a":"2"}}'));
  });

  test('any name is an own property, __proto__ and constructor included, and no prototype is touched', () => {
    const read = parseTriggerXml(
      '<root><triggerParameters><__proto__>x</__proto__><constructor>y</constructor></triggerParameters></root>',
    ) as {
      triggerParameters: Record<string, string>;
    };
    expect(read).toEqual(JSON.parse('{"triggerParameters":{"__proto__":"x","constructor":"y"}}'));
    expect(Object.keys(read.triggerParameters)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(read.triggerParameters)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
