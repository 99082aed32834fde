// Mail texts an organiser can edit per survey: a Handlebars subject and body (plain text, no HTML
// escaping), checked before they are saved so a broken template never reaches a city.
import Handlebars from 'handlebars';
import { closeBidiIn } from '../lib/bidi.js';
import { badRequest, type FieldError } from '../domain/errors.js';
import { registerHelpers } from '../views/helpers.js';

const hbs = Handlebars.create();
registerHelpers(hbs);

export type MailTextKind = 'invitation' | 'reminder';

export interface MailText {
  subject: string;
  body: string;
}

/** The values a mail text can use, each explained on the editing page. */
export const MAIL_FIELDS: Array<{ name: string; label: string }> = [
  { name: 'cityName', label: '宛先の市名' },
  { name: 'hostCityName', label: '本市の市名' },
  { name: 'surveyTitle', label: '調査名' },
  { name: 'deadline', label: '回答期限（{{dateJa deadline}} で「2026年12月25日」）' },
  { name: 'url', label: '貴市専用のリンク（必ず入れてください）' },
  { name: 'publicUrl', label: 'システムの URL' },
  { name: 'introText', label: '回答画面の説明文' },
  { name: 'contactDepartment', label: '問い合わせ先の担当部署（調査の設定）' },
  { name: 'contactPhone', label: '問い合わせ先の電話番号（調査の設定）' },
  { name: 'contactEmail', label: '問い合わせ先のメールアドレス（調査の設定。未設定なら送信した職員のアドレス）' },
];

export interface MailContext {
  cityName: string;
  hostCityName: string;
  surveyTitle: string;
  deadline: string;
  url: string;
  publicUrl: string;
  introText: string;
  contactDepartment: string;
  contactPhone: string;
  contactEmail: string;
}

/** A template file of templates/mail/: first line 「件名: …」, a blank line, then the body. */
export function splitTemplateSource(source: string): MailText {
  const m = /^件名[:：]\s*(.*)\r?\n\r?\n?([\s\S]*)$/.exec(source);
  return m ? { subject: m[1].trim(), body: m[2] } : { subject: '', body: source };
}

export function renderMailText(text: MailText, context: MailContext): { subject: string; text: string } {
  const values = closeBidiIn(context);
  const render = (src: string) => hbs.compile(src, { noEscape: true, strict: false })(values);
  return { subject: render(text.subject).replace(/[\r\n]+/g, ' ').trim(), text: render(text.body) };
}

const SAMPLE: MailContext = {
  cityName: '見本市',
  hostCityName: '本市',
  surveyTitle: '調査',
  deadline: '2026-12-25',
  url: 'http://example.invalid/r/sample',
  publicUrl: 'http://example.invalid',
  introText: '',
  contactDepartment: '情報企画課',
  contactPhone: '0000-00-0000',
  contactEmail: 'sample@example.invalid',
};

/** Throws a 400 with Japanese field errors when the texts cannot be used. */
export function checkMailText(text: MailText): void {
  const errors: FieldError[] = [];
  if (text.subject.trim() === '') errors.push({ path: '/subject', message: '件名を入力してください' });
  if (!/\{\{\s*url\s*\}\}/.test(text.body)) errors.push({ path: '/body', message: '本文に貴市専用のリンク {{url}} を入れてください（メールには必ず URL を書きます）' });
  for (const [path, src] of [['/subject', text.subject], ['/body', text.body]] as const) {
    try {
      renderMailText({ subject: path === '/subject' ? src : '', body: path === '/body' ? src : '' }, SAMPLE);
    } catch (err) {
      errors.push({ path, message: `${path === '/subject' ? '件名' : '本文'}の差し込み（{{ }}）の書き方に誤りがあります: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  if (errors.length > 0) throw badRequest('メール文面に誤りがあります', errors);
}
