// The organiser's results workbook, streamed (issue #15): participants are read in pages by key and written
// to exceljs's WorkbookWriter page by page, so a 1,800-city round never holds the whole list in memory.
import { PassThrough } from 'node:stream';
import type { Db } from '../db/database.js';
import { writeResultsWorkbook } from '../../exports/results-workbook-stream.js';
import type { ParticipantRecord } from '../../exports/types.js';
import { findCity } from '../repositories/cities.js';
import { listInvitationHistory, listParticipantsPage, listResponsesWithAnswers } from '../repositories/workbook-data.js';
import { computeResults } from './results.js';
import { getSurveyOr404 } from './surveys.js';
import { japanDate } from '../domain/japan-time.js';
import { participantRecord } from './workbooks.js';

/** Participants read and written per page: a few hundred keeps memory flat and the queries few. */
const PAGE_SIZE = 500;

/** The participants as the workbook lists them: the host city first, then the others in city-code order. */
async function* participantPages(db: Db, surveyId: number, hostCityCode: string, pageSize: number): AsyncGenerator<ParticipantRecord[]> {
  const host = await listParticipantsPage(db, surveyId, { only: hostCityCode, limit: 1 });
  if (host.length > 0) yield records(db, surveyId, hostCityCode, host);
  let after: string | undefined;
  for (;;) {
    const page = await listParticipantsPage(db, surveyId, { after, except: hostCityCode, limit: pageSize });
    if (page.length === 0) return;
    yield records(db, surveyId, hostCityCode, page);
    if (page.length < pageSize) return;
    after = page[page.length - 1].city_code;
  }
}

async function records(db: Db, surveyId: number, hostCityCode: string, page: Awaited<ReturnType<typeof listParticipantsPage>>): Promise<ParticipantRecord[]> {
  const codes = page.map((p) => p.city_code);
  const responses = new Map((await listResponsesWithAnswers(db, surveyId, codes)).map((r) => [r.row.city_code, r]));
  const invitations = await listInvitationHistory(db, surveyId, codes);
  return page.map((p) => participantRecord(p, responses.get(p.city_code), invitations.get(p.city_code), hostCityCode));
}

/** The organiser's workbook as the bytes of an .xlsx (404 before anything is written when the survey does not exist). */
export async function organiserResultsWorkbookFile(db: Db, surveyId: number, now: Date, opts: { pageSize?: number } = {}): Promise<{ buffer: Buffer; title: string }> {
  const survey = await getSurveyOr404(db, surveyId);
  const host = await findCity(db, survey.host_city_code);
  const results = await computeResults(db, surveyId);
  const info = { id: survey.id, title: survey.title, hostCityName: host?.name ?? survey.host_city_code, date: japanDate(now) };
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await writeResultsWorkbook(out, info, results, participantPages(db, surveyId, survey.host_city_code, opts.pageSize ?? PAGE_SIZE));
  await ended;
  return { buffer: Buffer.concat(chunks), title: survey.title };
}
