// Handlebars helpers shared by pages and mail. They return plain strings, so Handlebars still escapes them.
import type { HelperDelegate } from 'handlebars';
import { inJapanTime } from '../domain/japan-time.js';
import { formatDeadline } from '../domain/deadlines.js';

type HandlebarsLike = { registerHelper(name: string, fn: HelperDelegate): void };

const pad = (n: number) => String(n).padStart(2, '0');

/** 2026-11-21T05:00:00Z → 「2026年11月21日 14:00」 in Japan time */
export function formatDateTimeJa(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = inJapanTime(new Date(value));
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** '2026-12-21' → 「2026年12月21日」; a value that is not such a date (a deadline already written out) as it is. */
export function formatDateJa(value: string | null | undefined): string {
  if (!value) return '';
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return value;
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export function registerHelpers(hbs: HandlebarsLike): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hbs.registerHelper('dateJa', (v: string) => formatDateJa(v));
  // {{deadlineJa survey}}: the survey's deadline as domain/deadlines.ts writes it
  hbs.registerHelper('deadlineJa', (survey: { deadline: string; deadline_gregorian?: boolean; deadlineText?: string }) =>
    survey && typeof survey === 'object' ? (survey.deadlineText ?? formatDeadline(survey)) : '',
  );
  hbs.registerHelper('dateTimeJa', (v: string | Date) => formatDateTimeJa(v));
  hbs.registerHelper('number', (v: number) => (typeof v === 'number' ? v.toLocaleString('ja-JP') : ''));
}
