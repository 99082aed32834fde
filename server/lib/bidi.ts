// Unicode bidirectional controls in someone's text (an RTL override, U+202E, makes what follows read
// backwards): kept as typed, but closed at the end of the value, so a page or a mail never shows the text
// around the value reordered. Pure; used by the HTML escape, the chart builder and the mail renderers.

const EMBEDDINGS = new Set(['\u202A', '\u202B', '\u202D', '\u202E']); // LRE RLE LRO RLO, closed by PDF
const ISOLATES = new Set(['\u2066', '\u2067', '\u2068']); // LRI RLI FSI, closed by PDI
const PDF = '\u202C';
const PDI = '\u2069';
const ANY_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** The text with every bidi embedding, override or isolate it opens closed at its end (in reverse order). */
export function closeBidi(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  const open: string[] = [];
  for (const ch of text) {
    if (EMBEDDINGS.has(ch)) open.push(PDF);
    else if (ISOLATES.has(ch)) open.push(PDI);
    else if (ch === PDF && open.at(-1) === PDF) open.pop();
    else if (ch === PDI && open.includes(PDI)) open.length = open.lastIndexOf(PDI); // a PDI also ends the embeddings inside its isolate
  }
  return open.length === 0 ? text : text + open.reverse().join('');
}

/** closeBidi applied to every string inside a value (mail template data: objects, arrays, strings). */
export function closeBidiIn<T>(value: T): T {
  if (typeof value === 'string') return closeBidi(value) as T;
  if (Array.isArray(value)) return value.map((v) => closeBidiIn(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeBidiIn(v)])) as T;
  }
  return value;
}
