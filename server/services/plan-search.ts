// Full-text search over a survey's plans: the matching pages, each with a snippet around the first hit.
import type { Db } from '../db/database.js';
import { searchForm, searchPlanPages } from '../repositories/plan-documents.js';

export interface SearchHit {
  docId: number;
  cityCode: string;
  page: number;
  snippet: string;
}

/** About 40 characters either side of the first occurrence, whitespace runs folded to one space. */
export function snippetAround(text: string, needle: string, radius = 40): string {
  const at = text.indexOf(needle);
  if (at < 0) return text.slice(0, radius * 2).replace(/\s+/g, ' ').trim();
  const start = Math.max(0, at - radius);
  const end = Math.min(text.length, at + needle.length + radius);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}

export async function searchPlans(db: Db, surveyId: number, query: string): Promise<SearchHit[]> {
  const q = query.trim();
  if (q === '') return [];
  const needle = searchForm(q);
  const rows = await searchPlanPages(db, surveyId, q);
  return rows.map((r) => ({ docId: r.doc_id, cityCode: r.city_code, page: r.page, snippet: snippetAround(r.search_text, needle) }));
}
