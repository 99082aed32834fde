// Shared set-up for the respondent tests: an open demo survey (seeded, host 西宮市) and invitation helpers.
import type { TestContext } from './helper.js';

export const HAKODATE = '012025';
export const ASAHIKAWA = '012041';

export async function openDemoSurvey(ctx: TestContext, auth: { authorization: string }): Promise<number> {
  const surveys = (await ctx.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: auth })).json();
  const id = surveys[0].id as number;
  const res = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${id}`, headers: auth, payload: { status: 'open' } });
  if (res.statusCode !== 200) throw new Error(`open failed: ${res.body}`);
  return id;
}

export async function invite(ctx: TestContext, auth: { authorization: string }, surveyId: number, cityCodes: string[], send = false) {
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, headers: auth, payload: { cityCodes, send } });
  if (res.statusCode !== 201) throw new Error(`invite failed: ${res.statusCode} ${res.body}`);
  return res.json() as Array<{ cityCode: string; url: string; token: string; mail?: { status: string; to: string | null; message: string } }>;
}

/** A complete answer, as a city would type it (和暦, full-width digits, half-width kana). */
export function completeAnswer(measureCodes: string[]) {
  return {
    contact: { department: '総務部 情報政策課', personKana: 'ﾊｺﾀﾞﾃ ﾊﾅｺ', phone: '０１３８－２１－３１１１', email: 'johoseisaku@city.hakodate.example.lg.jp' },
    plan: { hasPlan: true, name: '函館市情報化推進計画', latestNumber: '第四次', updateCycleYears: 5, periodStart: '平成26年度', periodEnd: 'H30', nextPlan: 'update', notes: '' },
    disclosure: 'anonymous',
    measures: Object.fromEntries(measureCodes.map((c, i) => [c, (['implemented', 'studying', 'none'] as const)[i % 3]])),
  };
}
