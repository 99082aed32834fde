// 調査結果の取扱い in a respondent's workbook: public cities by name, anonymous ones as A市, B市, … with
// their names masked in every text, private ones never listed (only counted); and the listing rule of
// server/domain/disclosure-control.ts, so that band counts minus the listed cities reveal nobody.
import { listingRule, type ListingRule } from '../server/domain/disclosure-control.js';
import { anonymousNames } from '../server/domain/plan-stats.js';
import { maskNames, type NameMask } from '../server/domain/name-mask.js';
import type { ParticipantRecord } from './types.js';

export { maskNames, type NameMask };

export interface ListedCity {
  record: ParticipantRecord;
  /** the name shown: the city's own name, or A市, B市 … */
  displayName: string;
  anonymous: boolean;
}

export interface DisclosureView {
  /** public cities whose answers to the measures may be listed (their band's list is not withheld) */
  answerRows: ListedCity[];
  /** cities whose plans may be listed: public by name, anonymous as A市 … (empty when withheld) */
  planRows: ListedCity[];
  /** submitted cities that chose 公表しない: counted in the totals, never listed */
  privateCount: number;
  /** masks for every city whose name must not appear (anonymous → its alias, private → 〇〇市) */
  masks: NameMask[];
  rule: ListingRule;
}

/**
 * Which submitted (non-host) cities a respondent's workbook may list, and how: public first in city-code
 * order, then anonymous ones under their aliases. A response without a disclosure choice counts as private.
 */
export function disclosureView(surveyId: number, participants: ParticipantRecord[], bandCount?: number): DisclosureView {
  const submitted = participants.filter((p) => !p.isHost && p.status === 'submitted' && p.answers);
  const publicCities = submitted.filter((p) => p.answers!.disclosure === 'public').sort((a, b) => a.cityCode.localeCompare(b.cityCode));
  // The same A市, B市 … as on the results page (one rule, in domain/plan-stats.ts).
  const aliases = anonymousNames(surveyId, submitted.map((p) => ({ cityCode: p.cityCode, disclosure: p.answers!.disclosure })));
  const byCode = new Map(submitted.map((p) => [p.cityCode, p]));
  const anonymous = [...aliases.keys()].map((code) => byCode.get(code)!); // in alias order: A市, B市 …
  const privateCities = submitted.filter((p) => p.answers!.disclosure !== 'public' && p.answers!.disclosure !== 'anonymous');
  const bands = bandCount ?? Math.max(0, ...participants.map((p) => p.bandIndex + 1));
  const rule = listingRule(
    submitted.map((p) => ({ cityCode: p.cityCode, bandIndex: p.bandIndex, disclosure: p.answers!.disclosure })),
    bands,
  );
  const publicRows = publicCities.map((record) => ({ record, displayName: record.cityName, anonymous: false }));
  const anonymousRows = anonymous.map((record) => ({ record, displayName: aliases.get(record.cityCode)!, anonymous: true }));
  const planRows: ListedCity[] = rule.plansListed ? [...publicRows, ...anonymousRows] : [];
  const answerRows = publicRows.filter((r) => rule.answersListedInBand[r.record.bandIndex] === true);
  // Unlisted non-public participants (anonymous, private, not submitted) are masked too, longest name first.
  const hidden = participants.filter((p) => !p.isHost && !publicCities.includes(p));
  const aliasOf = new Map(anonymousRows.map((l) => [l.record.cityCode, l.displayName]));
  const masks = hidden
    .map((p) => ({ name: p.cityName, replacement: aliasOf.get(p.cityCode) ?? '〇〇市', kana: p.cityKana ?? null }))
    .sort((a, b) => b.name.length - a.name.length);
  return { answerRows, planRows, privateCount: privateCities.length, masks, rule };
}
