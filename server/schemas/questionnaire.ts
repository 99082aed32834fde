// The questionnaire workbook's upload (調査票.xlsx): its body, ?dryRun and the answer, for the respondent's and the organiser's routes.
import { Type } from '@sinclair/typebox';
import { XLSX_TYPE } from '../services/workbooks.js';

export const ImportResultSchema = Type.Object({
  status: Type.Union([Type.Literal('not_started'), Type.Literal('draft'), Type.Literal('submitted')], { description: '保存後の回答の状態（dryRun では現在の状態）' }),
  version: Type.Integer(),
  saved: Type.Boolean({ description: 'false: dryRun、または変更がなく保存しなかった' }),
  changed: Type.Array(
    Type.Object({
      path: Type.String({ description: '回答の項目（JSON Pointer）' }),
      cell: Type.String({ description: '調査票のセル（例: 調査票!D30）' }),
      label: Type.String(),
      before: Type.String(),
      after: Type.String(),
    }),
  ),
});

const DryRunQuery = Type.Object({ dryRun: Type.Optional(Type.Boolean({ description: 'true: 保存せず、変更点だけを返す' })) });

/** The schema parts of an upload route: the raw workbook as the body, ?dryRun. */
export const questionnaireUpload = { body: Type.Unsafe<unknown>({ description: '記入した調査票（.xlsx）' }), querystring: DryRunQuery, consumes: [XLSX_TYPE] };
