// A complete, valid response for benchmark and load runs; `seed` varies the answers between cities.
const ANSWERS = ['implemented', 'studying', 'none'] as const;

export function sampleResponse(measureCodes: string[], seed: number) {
  return {
    contact: { department: '総務局 情報管理部 情報企画課', personKana: 'ジョウホウ タロウ', phone: '0798-35-3151', email: `joho${seed}@example.lg.jp` },
    plan: { hasPlan: true, name: `第${(seed % 5) + 1}次情報化推進計画`, latestNumber: `第${(seed % 5) + 1}次`, updateCycleYears: 5, periodStart: 2014 + (seed % 5), periodEnd: 2018 + (seed % 5), nextPlan: 'update', notes: '' },
    disclosure: (['public', 'anonymous', 'private'] as const)[seed % 3],
    measures: Object.fromEntries(measureCodes.map((code, i) => [code, ANSWERS[(seed + i) % 3]])),
  };
}
