// 調査結果の取扱い in a respondent's workbook: public cities by name, anonymous ones as A市, B市, … with
// their names masked in every text, private ones never listed (only counted).
import { anonymousNames } from '../server/domain/plan-stats.js';
import type { ParticipantRecord } from './types.js';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface NameMask {
  name: string;
  replacement: string;
}

/**
 * Replaces a city's name in a text: 「西宮市」 → the replacement, and the bare 「西宮」 (plan names such as
 * 「西宮情報化計画」) → 〇〇. Bare names shorter than two characters are left alone (too many false hits).
 */
export function maskNames(text: string, masks: NameMask[]): string {
  let out = text;
  for (const { name, replacement } of masks) {
    out = out.replace(new RegExp(escapeRegExp(name), 'g'), replacement);
    const bare = name.endsWith('市') ? name.slice(0, -1) : '';
    if (bare.length >= 2) out = out.replace(new RegExp(escapeRegExp(bare), 'g'), '〇〇');
  }
  return out;
}

export interface ListedCity {
  record: ParticipantRecord;
  /** the name shown: the city's own name, or A市, B市 … */
  displayName: string;
  anonymous: boolean;
}

export interface DisclosureView {
  listed: ListedCity[];
  /** submitted cities that chose 公表しない: counted in the totals, never listed */
  privateCount: number;
  /** masks for every city whose name must not appear (anonymous → its alias, private → 〇〇市) */
  masks: NameMask[];
}

/**
 * Which submitted (non-host) cities a respondent's workbook may list, and how: public first in city-code
 * order, then anonymous ones under their aliases. A response without a disclosure choice counts as private.
 */
export function disclosureView(surveyId: number, participants: ParticipantRecord[]): DisclosureView {
  const submitted = participants.filter((p) => !p.isHost && p.status === 'submitted' && p.answers);
  const publicCities = submitted.filter((p) => p.answers!.disclosure === 'public').sort((a, b) => a.cityCode.localeCompare(b.cityCode));
  // The same A市, B市 … as on the results page (one rule, in domain/plan-stats.ts).
  const aliases = anonymousNames(surveyId, submitted.map((p) => ({ cityCode: p.cityCode, disclosure: p.answers!.disclosure })));
  const byCode = new Map(submitted.map((p) => [p.cityCode, p]));
  const anonymous = [...aliases.keys()].map((code) => byCode.get(code)!); // in alias order: A市, B市 …
  const privateCities = submitted.filter((p) => p.answers!.disclosure !== 'public' && p.answers!.disclosure !== 'anonymous');
  const listed: ListedCity[] = [
    ...publicCities.map((record) => ({ record, displayName: record.cityName, anonymous: false })),
    ...anonymous.map((record) => ({ record, displayName: aliases.get(record.cityCode)!, anonymous: true })),
  ];
  // Unlisted non-public participants (anonymous, private, not submitted) are masked too, longest name first.
  const hidden = participants.filter((p) => !p.isHost && !publicCities.includes(p));
  const aliasOf = new Map(listed.filter((l) => l.anonymous).map((l) => [l.record.cityCode, l.displayName]));
  const masks = hidden
    .map((p) => ({ name: p.cityName, replacement: aliasOf.get(p.cityCode) ?? '〇〇市' }))
    .sort((a, b) => b.name.length - a.name.length);
  return { listed, privateCount: privateCities.length, masks };
}
