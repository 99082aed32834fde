// What respondents may see per city, so that nothing they receive lets anyone work out a 公表しない city's
// answers or the 人口区分 of a 市名を伏せれば公表 city by differencing (band counts minus the listed cities).
// Pure; the respondent workbook (exports/disclosure.ts), the plan statistics (domain/plan-stats.ts) and the
// results pages apply it, so a publication built from them does too. The rule, in Japanese, is in the README.
import type { Disclosure } from './glossary.js';

/** Shown where a band's (or the whole survey's) per-city list is withheld. */
export const SMALL_GROUP_MESSAGE = '回答団体数が少ないため、団体別の回答は表示していません。';

/** A band's public cities are listed only when the others in it (not public) are none or at least this many. */
export const MIN_UNLISTED_IN_GROUP = 3;

export interface DisclosureSubject {
  cityCode: string;
  bandIndex: number;
  /** null (no answer) is treated as 公表しない */
  disclosure: Disclosure | null;
}

export interface ListingRule {
  /** per band: may its public cities be listed with their answers to the measures (and their band)? */
  answersListedInBand: boolean[];
  /** may public and anonymous cities' plans (name, period, cycle, next plan) be listed city by city? */
  plansListed: boolean;
  /** true when every per-city list is withheld, because the only band with non-public cities would locate them */
  allWithheld: boolean;
}

const isPublic = (s: DisclosureSubject) => s.disclosure === 'public';
const isAnonymous = (s: DisclosureSubject) => s.disclosure === 'anonymous';
const safeGroup = (unlisted: number) => unlisted === 0 || unlisted >= MIN_UNLISTED_IN_GROUP;

/**
 * The listing rule for the counted (submitted, non-host) respondents of one survey:
 * 1. Answers to the measures are listed per city only for public cities, and only in bands where the
 *    non-public respondents (anonymous and private) are none or at least three. Anonymous cities' answers
 *    are never listed city by city: matched against a band's remainder they would give away the band.
 * 2. Plans are listed per city (public by name, anonymous as A市 …) only when the respondents not listed
 *    at all (private or without an answer) are none or at least three, since the plan statistics count them.
 * 3. When anonymous cities exist, naming the public cities tells how many non-public respondents each band
 *    has (band's respondents minus its named cities). If that leaves one band that can hold them — also for a
 *    non-public viewer who takes itself out — every per-city list is withheld: the non-public respondents must
 *    spread over three bands or more, or over two bands with at least two each.
 * The counts per band (集計表) are always published; they are what the survey promised.
 */
export function listingRule(respondents: DisclosureSubject[], bandCount: number): ListingRule {
  const nonPublicPerBand = Array.from({ length: bandCount }, (_, b) => respondents.filter((s) => s.bandIndex === b && !isPublic(s)).length);
  const bandsWithNonPublic = nonPublicPerBand.filter((n) => n > 0).length;
  const spread = bandsWithNonPublic >= 3 || (bandsWithNonPublic === 2 && nonPublicPerBand.every((n) => n === 0 || n >= 2));
  const allWithheld = respondents.some(isAnonymous) && !spread;
  const unlisted = respondents.filter((s) => !isPublic(s) && !isAnonymous(s)).length;
  return {
    answersListedInBand: nonPublicPerBand.map((n) => !allWithheld && safeGroup(n)),
    plansListed: !allWithheld && safeGroup(unlisted),
    allWithheld,
  };
}
