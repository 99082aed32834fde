// Mail texts as the organiser writes them (domain/mail-texts.ts): what is refused before saving, and what a
// text saved before the deadline was written in 和暦 still renders.
import { describe, expect, it } from 'vitest';
import type { DomainError } from '../server/domain/errors.js';
import { checkMailText, type MailContext, renderMailText } from '../server/mail/mail-texts.js';

const context: MailContext = {
  cityName: '豊中市',
  hostCityName: '西宮市',
  surveyTitle: '中核市情報化推進計画調査',
  deadline: '令和9年1月22日（金）',
  url: 'http://example.invalid/r/x',
  publicUrl: 'http://example.invalid',
  introText: '',
  contactDepartment: '',
  contactPhone: '',
  contactEmail: '',
};

const refusal = (subject: string, body: string) => {
  try {
    checkMailText({ subject, body });
  } catch (err) {
    return (err as DomainError).errors ?? [];
  }
  return [];
};

describe('checkMailText', () => {
  it('accepts the fields of the list, {{#if}} / {{#unless}}, the helpers and an escaped \\{{…}}', () => {
    expect(refusal('【{{hostCityName}}】{{surveyTitle}}', '{{cityName}}様\n{{#if contactPhone}}電話: {{contactPhone}}{{else}}-{{/if}}\n{{#unless contactEmail}}なし{{/unless}}\n{{dateJa deadline}}\n\\{{literal}}\n{{url}}')).toEqual([]);
  });

  it('refuses every unknown name once, with its line, and lists the known ones', () => {
    const errors = refusal('件名', '{{url}}\n{{cityname}} {{cityname}}\n{{#each cities}}{{/each}}\n{{lookup this "constructor"}}');
    expect(errors.map((e) => e.message.replace(/使える差し込みは.*$/, ''))).toEqual([
      '本文の 2 行目（{{cityname}} {{cityname}}）: 「{{cityname}}」という差し込みはありません。',
      '本文の 3 行目（{{#each cities}}{{/each}}）: 「{{#each}}」は使えません。使えるのは {{#if …}}、{{#unless …}} です。',
      '本文の 4 行目（{{lookup this "constructor"}}）: 「{{lookup …}}」は使えません。使えるのは {{dateJa …}}、{{dateTimeJa …}}、{{number …}}、{{eq …}}、{{ne …}} です。',
    ]);
    expect(errors[0].message).toContain('使える差し込みは {{cityName}}、{{hostCityName}}、{{surveyTitle}}、{{deadline}}、{{url}}、{{publicUrl}}、{{introText}}、{{contactDepartment}}、{{contactPhone}}、{{contactEmail}} です。');
  });

  it.each([
    ['{{url}}\n{{cityName}', '本文の 2 行目（{{cityName}）: 「{{」で始めた差し込みが「}}」で閉じられていません'],
    ['{{url}}\n{{#if contactPhone}}x', '「{{#if …}}」などで始めた部分が「{{/if}}」で閉じられていません。'],
    ['{{url}}{{#if a}}x{{/unless}}', '「{{#if …}}」を「{{/unless}}」で閉じています。「{{/if}}」で閉じてください。'],
    ['{{url}}\n{{/if}}', '本文の 2 行目（{{/if}}）: 対応する「{{#if …}}」のない「{{/…}}」があります。'],
    ['{{url}} {{ }}', '「{{ }}」の中に差し込みの名前がありません。'],
    ['{{url}} {{cityName}}}', '「}}}」があります。'],
    ['{{url}} {{else}}', '「{{else}}」の位置が正しくありません'],
  ])('explains %j in Japanese', (body, message) => {
    const [error] = refusal('件名', body);
    expect(error.path).toBe('/body');
    expect(error.message).toContain(message);
    expect(error.message).not.toMatch(/Parse error|Expecting|doesn't match/);
  });
});

describe('renderMailText', () => {
  it('a text saved with the former {{dateJa deadline}} writes the deadline as it is now written', () => {
    expect(renderMailText({ subject: '期限 {{dateJa deadline}}', body: '{{deadline}}まで' }, context)).toEqual({ subject: '期限 令和9年1月22日（金）', text: '令和9年1月22日（金）まで' });
  });
});
