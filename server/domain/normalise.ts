// Input normalisation before validation: full-width digits/hyphens, half-width katakana, surrounding spaces.
// Pure string functions shared by the web form, the JSON API and the Excel import.

const FULL_WIDTH_DIGITS = /[０-９]/g;
/** Every dash a Japanese IME or a word processor produces where a phone number has a hyphen. */
const DASHES = /[－ー―‐‑‒–—−ｰ﹣]/g;

export function toHalfWidthDigits(value: string): string {
  return value.replace(FULL_WIDTH_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Trims ASCII and ideographic spaces at both ends. */
export function trimAll(value: string): string {
  return value.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
}

/** '０７９８－３５－３１５１' → '0798-35-3151'; inner spaces and brackets become hyphens: '(0798) 35 3151' → '0798-35-3151'. */
export function normalisePhone(value: string): string {
  let v = trimAll(toHalfWidthDigits(value)).replace(DASHES, '-');
  v = v.replace(/[（(]/g, '').replace(/[）)]/g, '-').replace(/[\s\u3000]+/g, '-');
  return v.replace(/-{2,}/g, '-').replace(/^-|-$/g, '');
}

const HALF_KANA = 'ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ';
const FULL_KANA = 'ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン';
const VOICED: Record<string, string> = {
  カ: 'ガ', キ: 'ギ', ク: 'グ', ケ: 'ゲ', コ: 'ゴ', サ: 'ザ', シ: 'ジ', ス: 'ズ', セ: 'ゼ', ソ: 'ゾ',
  タ: 'ダ', チ: 'ヂ', ツ: 'ヅ', テ: 'デ', ト: 'ド', ハ: 'バ', ヒ: 'ビ', フ: 'ブ', ヘ: 'ベ', ホ: 'ボ', ウ: 'ヴ',
};
const SEMI_VOICED: Record<string, string> = { ハ: 'パ', ヒ: 'ピ', フ: 'プ', ヘ: 'ペ', ホ: 'ポ' };

/** Half-width katakana (incl. ﾞ/ﾟ marks) → full-width: 'ﾆｼﾉﾐﾔ ﾀﾛｳ' → 'ニシノミヤ タロウ'. */
export function halfToFullKatakana(value: string): string {
  let out = '';
  for (const ch of value) {
    const i = HALF_KANA.indexOf(ch);
    if (i >= 0) {
      out += FULL_KANA[i];
    } else if (ch === 'ﾞ' && VOICED[out.slice(-1)]) {
      out = out.slice(0, -1) + VOICED[out.slice(-1)];
    } else if (ch === 'ﾟ' && SEMI_VOICED[out.slice(-1)]) {
      out = out.slice(0, -1) + SEMI_VOICED[out.slice(-1)];
    } else {
      out += ch;
    }
  }
  return out;
}

/** Kana name: half-width → full-width katakana, any run of spaces → one ideographic-free ASCII space, trimmed. */
/** ひらがな → カタカナ (ぁ–ゖ and ゝゞ map 0x60 up); other characters unchanged. */
export function hiraganaToKatakana(value: string): string {
  return value.replace(/[\u3041-\u3096\u309d\u309e]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

/** A kana name: half-width and hiragana become full-width katakana, spaces one half-width space. */
export function normaliseKana(value: string): string {
  return trimAll(hiraganaToKatakana(halfToFullKatakana(value))).replace(/[\s\u3000]+/g, ' ');
}

/** Katakana (incl. ヴ, small kana, ・), spaces and the long-vowel mark only. */
export function isKatakanaName(value: string): boolean {
  return /^[\u30a1-\u30fa\u30fc ・]+$/.test(value) && /[\u30a1-\u30fa]/.test(value);
}

/** E-mail: trimmed, full-width ASCII (＠, ．, letters) folded to half-width. */
export function normaliseEmail(value: string): string {
  return trimAll(value.normalize('NFKC'));
}

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** A Japanese phone number: starts with 0, 10 or 11 digits, optional hyphens between groups. */
export function isPhoneNumber(value: string): boolean {
  if (!/^0[0-9-]+[0-9]$/.test(value)) return false;
  const digits = value.replace(/-/g, '').length;
  return digits >= 10 && digits <= 11;
}

/** Free text: trimmed; full-width digits kept as typed (they are part of names). */
export function normaliseText(value: string): string {
  return trimAll(value);
}

/** A number typed any way: '５' / '5年' / '5 年' → 5; anything else → undefined. */
const KANJI_DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 「五」「十」「十二」「二十」 → 5, 10, 12, 20 (1–99), as 第四次 is read; else the text unchanged. */
export function kanjiNumeralToDigits(value: string): string {
  return value.replace(/[一二三四五六七八九]?十?[一二三四五六七八九]?/g, (m) => {
    if (m === '') return m;
    const t = m.indexOf('十');
    if (t === -1) return m.length === 1 ? String(KANJI_DIGIT[m]) : m;
    const tens = t === 0 ? 1 : KANJI_DIGIT[m[0]];
    const ones = t === m.length - 1 ? 0 : KANJI_DIGIT[m[m.length - 1]];
    return String(tens * 10 + ones);
  });
}

export function parseSmallInteger(value: string | number, suffix = ''): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  const v = kanjiNumeralToDigits(trimAll(toHalfWidthDigits(value)).replace(/\s+/g, ''));
  const m = new RegExp(`^([0-9]{1,4})(?:${suffix})?$`).exec(v);
  return m ? Number(m[1]) : undefined;
}

/**
 * An organiser account's address: any mailbox with a dotted domain, or `@localhost` (the address of the generated
 * first admin, which must pass the app's own checks when it starts again). One rule for config and accounts.
 */
export function isAccountEmail(value: string): boolean {
  return /^[^\s@]+@(?:[^\s@]+\.[^\s@]+|localhost)$/i.test(value);
}
