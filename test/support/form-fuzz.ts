// Generators and encoders for fuzzing the site's HTML forms: hostile field values, url-encoded and
// multipart bodies (repeated keys, unknown fields, broken percent-escapes), and the list of form POST
// routes read from Fastify's own route tree, so a new form cannot escape the fuzz unnoticed.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';

/** Text an attacker or a careless paste would put in a field. */
export const HOSTILE_CONSTANTS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; drop table responses; --",
  '{{constructor.constructor "alert(1)"}}',
  '{{{x}}}',
  '{{> layouts/main}}',
  '=HYPERLINK("http://evil.example/","x")',
  '+1',
  '-1',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
  '\u202Eevil.exe',
  '\u0000',
  'a\u0000b',
  '\u0000\u0007\u001b[31m',
  '\uFEFF\u200B\u200D',
  '２８２０４９',
  '平成26年度',
  '令和元年度',
  'H30',
  '第四次',
  '5年ごと',
  '1e400',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '99999999999999999999',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '%00',
  '%',
  'ｱｲｳｴｵ ﾊﾟﾋﾟﾌﾟ',
  'ニシノミヤ タロウ',
  '０７９８－３５－３１５１',
  'ｊｏｈｏ＠ｅｘａｍｐｌｅ．ｌｇ．ｊｐ',
];

const control = fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n));
const mixedScript = fc.constantFrom(
  'a', 'Z', 'é', 'ß', 'Ж', 'ж', 'ع', 'ש', 'あ', 'ア', 'ｱ', 'ﾞ', '漢', '𠮷', '한', 'ก', '\u0301', '\u200D', '😀', '👩‍💻', '\u202E', '\u202D', '\u2066', '\u00A0', '\u3000', ' ', '\n', '\r',
);

/** Any one hostile value: fixed attacks, random graphemes, lone surrogates, control characters, mixed scripts, numbers. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_CONSTANTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: control, maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ unit: mixedScript, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer().map(String), fc.double().map(String), fc.bigInt().map(String)) },
);

/** Huge text, from just over any field's limit to past the 1 MB body limit once url-encoded (→ 413). */
export const hugeText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', 'あ', '<', '=', '\u0000', '9'), fc.integer({ min: 1_000, max: 150_000 }))
  .map(([c, n]) => c.repeat(n));

/** In about one body in seven, one field (named by the form or not) comes first with a huge value. */
function withHugeField(names: string[], pairs: fc.Arbitrary<Pair[]>): fc.Arbitrary<Pair[]> {
  const huge = fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(names.length ? fc.constantFrom(...names) : fc.constant('x'), hugeText) });
  return fc.tuple(huge, pairs).map(([h, p]) => (h ? [h as Pair, ...p] : p));
}

/** A field's value: mostly plausible for the field, often hostile. */
export const valueOf = (plausible: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 2, arbitrary: hostileText }, { weight: 1, arbitrary: fc.constant('') });

export type Pair = [string, string];

/** Fields sent as a browser would not: absent, repeated (key=a&key=b), or with unknown and prototype-ish names. */
export function formPairs(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Pair[]> {
  const known = Object.entries(fields).map(([name, plausible]) =>
    fc
      .option(
        fc.oneof({ weight: 8, arbitrary: valueOf(plausible).map((v) => [v]) }, { weight: 1, arbitrary: fc.array(valueOf(plausible), { minLength: 2, maxLength: 3 }) }),
        { freq: 5 },
      )
      .map((values) => (values ?? []).map((v): Pair => [name, v])),
  );
  const unknownName = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'a[b]', 'a[]', 'unknownField', '') },
    { weight: 10, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constant('_csrf') }, // a second token: the CSRF check must refuse it, not crash
  );
  const unknown = fc.array(fc.tuple(unknownName, hostileText), { maxLength: 3 });
  return withHugeField(Object.keys(fields), fc.tuple(fc.tuple(...known), unknown).map(([k, u]) => [...k.flat(), ...u]));
}

/** A form as its page would send it, with up to three fields replaced by, or repeated with, hostile values. */
export function mutatedForm(valid: fc.Arbitrary<Pair[]>): fc.Arbitrary<Pair[]> {
  return valid.chain((form) =>
    withHugeField(form.map(([k]) => k), fc.array(fc.tuple(fc.constantFrom(...form.map(([k]) => k)), hostileText, fc.boolean()), { maxLength: form.length === 0 ? 0 : 3 }).map((edits) => {
      const pairs = form.map((p): Pair => [...p]);
      for (const [name, value, repeat] of edits) {
        if (repeat) pairs.push([name, value]);
        else pairs.find(([k]) => k === name)![1] = value;
      }
      return pairs;
    })),
  );
}

/** Free-form fields, or (one time in `1 + freeWeight`) a valid form with a few hostile edits, so the success path sees hostile text too. */
export function formBody(fields: Record<string, fc.Arbitrary<string>>, valid?: Pair[] | fc.Arbitrary<Pair[]>, freeWeight = 1): fc.Arbitrary<Pair[]> {
  if (!valid) return formPairs(fields);
  return fc.oneof({ weight: freeWeight, arbitrary: formPairs(fields) }, { weight: 1, arbitrary: mutatedForm(Array.isArray(valid) ? fc.constant(valid) : valid) });
}

/** What a broken client may append to a url-encoded body (bad percent-escapes, empty keys, stray separators). */
export const rawTail = fc.option(fc.constantFrom('&%ZZ=1', '&%=%', '&a=%E3%81', '&&&', '&=x', '&x', '&%00=%00', '&a=1;b=2', '&' + '%ff'.repeat(10), '&%F0%9F%98=%C0%AF'), { freq: 4 });

export function urlencoded(csrf: string, pairs: Pair[], tail: string | null): string {
  const params = new URLSearchParams();
  params.append('_csrf', csrf);
  for (const [k, v] of pairs) params.append(k, v);
  return params.toString() + (tail ?? '');
}

export const BOUNDARY = '----fuzz-7MA4YWxkTrZu0gW';

export function multipart(csrf: string, pairs: Pair[], file?: { field: string; filename: string; data: Buffer }): Buffer {
  const name = (s: string) => s.replace(/["\r\n\\]/g, '_');
  const parts: Buffer[] = [];
  for (const [k, v] of [['_csrf', csrf] as Pair, ...pairs]) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name(k)}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name(file.field)}"; filename="${name(file.filename)}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

/** Ids and codes in the URL that point at nothing (or at nothing sensible); never at another real record. */
export const junkParam = fc.constantFrom('0', '-1', '1e9', '2147483648', '99999999999999999999', 'abc', '1.5', 'NaN', '%20', '%E3%81%82', '%00', '..', 'M01%00', '<script>');

/** Every POST route outside /api/, as Fastify registered them (parsed from printRoutes' tree). */
export function formPostRoutes(app: FastifyInstance): string[] {
  const found: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )?(\S+) \(([^)]*)\)$/.exec(line.replace(/\s+$/, ''));
    if (!m) continue;
    const depth = Math.round(m[1].replace(/│/g, ' ').length / 4);
    stack.length = depth;
    stack[depth] = m[2];
    const path = stack.join('').replace(/^\/+/, '/');
    if (m[3].split(', ').includes('POST') && !path.startsWith('/api/')) found.push(path);
  }
  return found.sort();
}
