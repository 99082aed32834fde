// Readings of a city name for masking: katakana ↔ hiragana, and Hepburn romaji with the spellings people
// actually write for long vowels (Kōriyama, Koriyama, Kooriyama, Kohriyama; Ōtsu, Otsu, Ootsu, Ohtsu).
// Case is left to the matcher (ASAHIKAWA, asahikawa, Asahikawa). Pure.

const BASE: Record<string, string> = {
  ア: 'a', イ: 'i', ウ: 'u', エ: 'e', オ: 'o',
  カ: 'ka', キ: 'ki', ク: 'ku', ケ: 'ke', コ: 'ko', ガ: 'ga', ギ: 'gi', グ: 'gu', ゲ: 'ge', ゴ: 'go',
  サ: 'sa', シ: 'shi', ス: 'su', セ: 'se', ソ: 'so', ザ: 'za', ジ: 'ji', ズ: 'zu', ゼ: 'ze', ゾ: 'zo',
  タ: 'ta', チ: 'chi', ツ: 'tsu', テ: 'te', ト: 'to', ダ: 'da', ヂ: 'ji', ヅ: 'zu', デ: 'de', ド: 'do',
  ナ: 'na', ニ: 'ni', ヌ: 'nu', ネ: 'ne', ノ: 'no',
  ハ: 'ha', ヒ: 'hi', フ: 'fu', ヘ: 'he', ホ: 'ho', バ: 'ba', ビ: 'bi', ブ: 'bu', ベ: 'be', ボ: 'bo', パ: 'pa', ピ: 'pi', プ: 'pu', ペ: 'pe', ポ: 'po',
  マ: 'ma', ミ: 'mi', ム: 'mu', メ: 'me', モ: 'mo', ヤ: 'ya', ユ: 'yu', ヨ: 'yo',
  ラ: 'ra', リ: 'ri', ル: 'ru', レ: 're', ロ: 'ro', ワ: 'wa', ヲ: 'o', ン: 'n', ヴ: 'vu',
};
const SMALL: Record<string, string> = { ャ: 'a', ュ: 'u', ョ: 'o' };
const MACRON: Record<string, string> = { a: 'ā', i: 'ī', u: 'ū', e: 'ē', o: 'ō' };

export function toKatakana(text: string): string {
  return text.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

export function toHiragana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/** Syllables in plain Hepburn (ou, oo kept as written), or null for a reading with other characters. */
function syllables(kana: string): string[] | null {
  const out: string[] = [];
  const chars = [...toKatakana(kana)];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === 'ッ') {
      const next = BASE[chars[i + 1] ?? ''];
      if (!next) return null;
      out.push(next.startsWith('ch') ? 't' : next[0]);
      continue;
    }
    if (c === 'ー') {
      const last = out[out.length - 1];
      if (!last) return null;
      out.push(last[last.length - 1]);
      continue;
    }
    if (SMALL[c]) {
      const last = out.pop();
      if (!last) return null;
      const stem = last.endsWith('i') ? last.slice(0, -1) : last;
      out.push(['sh', 'ch', 'j'].includes(stem) ? stem + SMALL[c] : `${stem}y${SMALL[c]}`);
      continue;
    }
    const roman = BASE[c];
    if (!roman) return null;
    // ン before a vowel or y is written n' in strict Hepburn; people drop the apostrophe, so do we
    out.push(roman);
  }
  return out;
}

/**
 * The romaji spellings of a reading: the long vowels ou/oo/uu written as ō/ū (macron), as a single vowel,
 * doubled as written, or with h (oh). Lower case; at most 16 spellings.
 */
export function romajiVariants(kana: string): string[] {
  const parts = syllables(kana);
  if (!parts) return [];
  const plain = parts.join('');
  const variants = new Set<string>([plain]);
  const longVowel = /([aiueo])(?:\1|(?<=o)u)/g;
  variants.add(plain.replace(longVowel, (_m, v: string) => MACRON[v]));
  variants.add(plain.replace(longVowel, (_m, v: string) => v));
  variants.add(plain.replace(longVowel, (_m, v: string) => (v === 'o' ? 'oh' : v)));
  return [...variants].slice(0, 16);
}
