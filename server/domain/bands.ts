// 人口区分: thresholds split cities into bands; a city exactly on a threshold belongs to the band above it.

export interface Band {
  label: string;
  min: number;
  /** null for the top band */
  max: number | null;
}

export const DEFAULT_BAND_THRESHOLDS = [300000, 500000];

/** A Japanese message when the thresholds are not strictly ascending positive integers, else null. */
export function bandThresholdsProblem(thresholds: number[]): string | null {
  if (thresholds.length === 0) return '人口区分の境界を 1 つ以上指定してください';
  for (let i = 0; i < thresholds.length; i++) {
    const t = thresholds[i];
    if (!Number.isInteger(t) || t <= 0) return `人口区分の境界（${i + 1} 番目）は正の整数で指定してください`;
    if (i > 0 && t <= thresholds[i - 1]) return '人口区分の境界は小さい順に、重複なく指定してください';
  }
  return null;
}

/** 300000 → 「30万人」, 125000 → 「12万5千人」, 80000 → 「8万人」, 5500 → 「5,500人」 */
export function formatPopulation(n: number): string {
  if (n >= 10000 && n % 1000 === 0) {
    const man = Math.floor(n / 10000);
    const sen = (n % 10000) / 1000;
    return `${man}万${sen > 0 ? `${sen}千` : ''}人`;
  }
  return `${n.toLocaleString('ja-JP')}人`;
}

export function bandsFor(thresholds: number[]): Band[] {
  const bands: Band[] = [];
  let min = 0;
  thresholds.forEach((t, i) => {
    const label =
      i === 0 ? `${formatPopulation(t)}未満の市` : `${formatPopulation(thresholds[i - 1])}以上${formatPopulation(t)}未満の市`;
    bands.push({ label, min, max: t - 1 });
    min = t;
  });
  bands.push({ label: `${formatPopulation(min)}以上の市`, min, max: null });
  return bands;
}

export function bandIndexFor(population: number, thresholds: number[]): number {
  let index = 0;
  while (index < thresholds.length && population >= thresholds[index]) index++;
  return index;
}
