// Masking a city's name in free text: kanji name (with and without 市), its kana readings and romaji.
// Used by the respondent workbook (exports/disclosure.ts) and the plan statistics. Pure.
import { romajiVariants, toHiragana, toKatakana } from './romaji.js';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface NameMask {
  name: string;
  replacement: string;
  /** the city's reading (katakana or hiragana), to mask 「ひめじ」「ヒメジ」「HIMEJI」「Himeji-shi」 too */
  kana?: string | null;
}

/** The reading without the trailing シ/し of 市 (ヒメジシ → ヒメジ). */
function bareReading(kana: string): string {
  const k = toKatakana(kana.replace(/\s/g, ''));
  return k.endsWith('シ') ? k.slice(0, -1) : k;
}

/**
 * Replaces a city's name in a text: 「西宮市」 → the replacement, and the bare 「西宮」 (plan names such as
 * 「西宮情報化計画」) → 〇〇. Bare names shorter than two characters are left alone (too many false hits).
 * With a reading: katakana and hiragana (with 市 or シ/し, or bare, when three characters or more; a
 * two-character reading only with 市, so that 「ならびに」「ならし運転」 survive) and its romaji spellings,
 * whole words in any case, → 〇〇.
 */
export function maskNames(text: string, masks: NameMask[]): string {
  let out = text;
  for (const { name, replacement, kana } of masks) {
    out = out.replace(new RegExp(escapeRegExp(name), 'g'), replacement);
    const bare = name.endsWith('市') ? name.slice(0, -1) : '';
    if (bare.length >= 2) out = out.replace(new RegExp(escapeRegExp(bare), 'g'), '〇〇');
    if (!kana) continue;
    const reading = bareReading(kana);
    if (reading.length < 2) continue;
    for (const form of [reading, toHiragana(reading)]) {
      // a two-character reading only with 市 (「ならし運転」 is not 奈良市)
      out = out.replace(new RegExp(`${escapeRegExp(form)}(?:市${form.length >= 3 ? '|シ|し' : ''})`, 'g'), replacement);
      if (form.length >= 3) out = out.replace(new RegExp(escapeRegExp(form), 'g'), '〇〇');
    }
    for (const romaji of romajiVariants(reading).filter((r) => r.length >= 3)) {
      out = out.replace(new RegExp(`(?<![\\p{L}])${escapeRegExp(romaji)}(?:[\\s-]?(?:shi|city))?(?![\\p{L}])`, 'giu'), '〇〇');
    }
  }
  return out;
}

