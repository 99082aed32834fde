// Mail texts an organiser can edit per survey: a Handlebars subject and body (plain text, no HTML
// escaping), checked before they are saved so a broken template never reaches a city.
import Handlebars from 'handlebars';
import { closeBidiIn } from '../lib/bidi.js';
import { badRequest, type FieldError } from '../domain/errors.js';
import { registerHelpers } from '../views/helpers.js';

const mailHandlebars = Handlebars.create();
registerHelpers(mailHandlebars);

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
  { name: 'deadline', label: '回答期限。例: 令和9年1月22日（金）。調査の設定で西暦を併記できます' },
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
  /** already written out (domain/deadlines.ts formatDeadline): 令和9年1月22日（金） */
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
  const render = (src: string) => mailHandlebars.compile(src, { noEscape: true, strict: false })(values);
  return { subject: render(text.subject).replace(/[\r\n]+/g, ' ').trim(), text: render(text.body) };
}

const SAMPLE: MailContext = {
  cityName: '見本市',
  hostCityName: '本市',
  surveyTitle: '調査',
  deadline: '令和9年1月22日（金）',
  url: 'http://example.invalid/r/sample',
  publicUrl: 'http://example.invalid',
  introText: '',
  contactDepartment: '情報企画課',
  contactPhone: '0000-00-0000',
  contactEmail: 'sample@example.invalid',
};

/** Helpers a mail text may call: {{#if contactPhone}}…{{/if}}, {{dateJa …}} (template-helpers.ts). */
const BLOCK_HELPERS = new Set(['if', 'unless']);
const VALUE_HELPERS = new Set(['dateJa', 'dateTimeJa', 'number', 'eq', 'ne']);
const FIELD_NAMES = new Set(MAIL_FIELDS.map((f) => f.name));
const knownList = () => MAIL_FIELDS.map((f) => `{{${f.name}}}`).join('、');

type HbsNode = hbs.AST.Node & Record<string, unknown>;

/** Every problem of a parsed text: names that are not mail fields, helpers that do not exist, partials. */
function unknownNames(program: hbs.AST.Program): Array<{ line: number; message: string }> {
  const found: Array<{ line: number; message: string }> = [];
  const seen = new Set<string>();
  const report = (node: hbs.AST.Node, key: string, message: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ line: node.loc?.start.line ?? 1, message });
  };
  const value = (node: hbs.AST.Expression) => {
    if (node.type === 'SubExpression') return call(node as hbs.AST.SubExpression, false);
    if (node.type !== 'PathExpression') return;
    const path = node as hbs.AST.PathExpression;
    const name = path.parts.join('.');
    if (!FIELD_NAMES.has(name)) {
      report(node, `field:${path.original}`, `「{{${path.original}}}」という差し込みはありません。使える差し込みは ${knownList()} です。`);
    }
  };
  const call = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement, block: boolean) => {
    const path = node.path as hbs.AST.PathExpression;
    const args = [...node.params, ...(node.hash?.pairs ?? []).map((p) => p.value)];
    if (path.type !== 'PathExpression') return;
    const helpers = block ? BLOCK_HELPERS : VALUE_HELPERS;
    if (block || args.length > 0) {
      if (!helpers.has(path.original)) {
        const what = block ? `{{#${path.original}}}` : `{{${path.original} …}}`;
        const usable = block ? '{{#if …}}、{{#unless …}}' : [...VALUE_HELPERS].map((h) => `{{${h} …}}`).join('、');
        report(node, `helper:${path.original}`, `「${what}」は使えません。使えるのは ${usable} です。`);
        return;
      }
      args.forEach(value);
    } else {
      value(path);
    }
  };
  const walk = (n: HbsNode | null | undefined) => {
    if (!n) return;
    switch (n.type) {
      case 'Program':
        (n as unknown as hbs.AST.Program).body.forEach((c) => walk(c as HbsNode));
        break;
      case 'MustacheStatement':
        call(n as unknown as hbs.AST.MustacheStatement, false);
        break;
      case 'BlockStatement': {
        const b = n as unknown as hbs.AST.BlockStatement;
        call(b, true);
        walk(b.program as unknown as HbsNode);
        walk(b.inverse as unknown as HbsNode);
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        report(n, 'partial', '「{{> …}}」（部品の読み込み）はメール文面では使えません。');
        break;
      case 'DecoratorBlock':
      case 'Decorator':
        report(n, 'decorator', '「{{* …}}」はメール文面では使えません。');
        break;
      default:
        break;
    }
  };
  walk(program as unknown as HbsNode);
  return found;
}

/** The Handlebars parser's English message, in Japanese: which line, and what is wrong there. */
export function describeSyntaxError(err: Error): { line: number; message: string } {
  const text = err.message;
  const mismatch = /^(\S+) doesn't match (\S+) - (\d+):\d+/.exec(text);
  if (mismatch) {
    return { line: Number(mismatch[3]), message: `「{{#${mismatch[1]} …}}」を「{{/${mismatch[2]}}}」で閉じています。「{{/${mismatch[1]}}}」で閉じてください。` };
  }
  const line = Number(/on line (\d+)/.exec(text)?.[1] ?? 1);
  const got = /got '([^']+)'/.exec(text)?.[1];
  const expecting = /Expecting (.*), got/.exec(text)?.[1] ?? '';
  let what: string;
  if (/^Lexical error/.test(text)) what = '読み取れない書き方があります（「{{!-- …」の注記は「--}}」で閉じます）。';
  else if (got === 'EOF' && expecting.includes('OPEN_ENDBLOCK')) what = '「{{#if …}}」などで始めた部分が「{{/if}}」で閉じられていません。';
  else if (got === 'INVALID') what = '「{{」で始めた差し込みが「}}」で閉じられていません（「}」が 1 つ足りない、または名前に使えない文字があります）。';
  else if (got === 'CLOSE_UNESCAPED') what = '「}}}」があります。差し込みは「{{名前}}」のように、「{{」と「}}」で囲みます。';
  else if (got === 'CLOSE' && expecting.includes('CLOSE_UNESCAPED')) what = '「{{{」で始めた差し込みが「}}}」で閉じられていません。差し込みは「{{名前}}」と書きます。';
  else if (got === 'CLOSE') what = '「{{ }}」の中に差し込みの名前がありません。';
  else if (got === 'OPEN_ENDBLOCK') what = '対応する「{{#if …}}」のない「{{/…}}」があります。';
  else if (got === 'INVERSE') what = '「{{else}}」の位置が正しくありません（「{{#if …}}」と「{{/if}}」の間に 1 つだけ書けます）。';
  else what = '差し込み（{{ }}）の書き方に誤りがあります。';
  return { line, message: what };
}

/** Throws a 400 with Japanese field errors when the texts cannot be used. */
export function checkMailText(text: MailText): void {
  const errors: FieldError[] = [];
  if (text.subject.trim() === '') errors.push({ path: '/subject', message: '件名を入力してください。' });
  if (!/\{\{\s*url\s*\}\}/.test(text.body)) errors.push({ path: '/body', message: '本文に貴市専用のリンク {{url}} を入れてください（メールには必ず URL を書きます）。' });
  for (const [path, src, where] of [['/subject', text.subject, '件名'], ['/body', text.body, '本文']] as const) {
    // where: 「本文の 3 行目（{{cityName}）: 」, quoting the line so it can be found in a long text
    const at = (line: number) => {
      if (path === '/subject') return `${where}: `;
      const lineText = src.split(/\r?\n/)[line - 1]?.trim() ?? '';
      return `${where}の ${line} 行目${lineText ? `（${lineText.length > 40 ? `${lineText.slice(0, 40)}…` : lineText}）` : ''}: `;
    };
    let program: hbs.AST.Program;
    try {
      program = Handlebars.parse(src);
    } catch (err) {
      const problem = describeSyntaxError(err as Error);
      errors.push({ path, message: `${at(problem.line)}${problem.message}` });
      continue;
    }
    const unknown = unknownNames(program);
    for (const u of unknown) errors.push({ path, message: `${at(u.line)}${u.message}` });
    if (unknown.length > 0) continue;
    try {
      renderMailText({ subject: path === '/subject' ? src : '', body: path === '/body' ? src : '' }, SAMPLE);
    } catch (err) {
      const problem = describeSyntaxError(err as Error);
      errors.push({ path, message: `${at(problem.line)}${problem.message}` });
    }
  }
  if (errors.length > 0) throw badRequest('メール文面に誤りがあります。', errors);
}
