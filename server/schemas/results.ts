// The results' JSON shape (API.md «Results»), plus documented extras (answered, retired, round-over-round fields).
import { Type } from '@sinclair/typebox';
import { ANSWERS } from '../domain/glossary.js';

const AnswerSchema = Type.Union(ANSWERS.map((a) => Type.Literal(a)));

export const BandCountSchema = Type.Object({
  implemented: Type.Integer({ description: '実施済の団体数' }),
  studying: Type.Integer({ description: '検討中の団体数' }),
  total: Type.Integer({ description: '実施済 + 検討中' }),
});

export const ResultBandSchema = Type.Object({
  label: Type.String(),
  min: Type.Integer(),
  max: Type.Union([Type.Integer(), Type.Null()]),
  respondents: Type.Integer({ description: 'この人口区分の回答団体数（送信済、本市を除く）' }),
});

export const MeasureResultSchema = Type.Object({
  code: Type.String(),
  category: Type.String(),
  label: Type.String(),
  counts: Type.Array(BandCountSchema, { description: 'bands と同じ順' }),
  implemented: Type.Integer(),
  studying: Type.Integer(),
  total: Type.Integer(),
  ratePercent: Type.Union([Type.Number(), Type.Null()], { description: '実施・検討率 = total / denominator × 100（小数第 2 位へ四捨五入）。回答がなければ null' }),
  host: Type.Union([AnswerSchema, Type.Null()], { description: '本市の回答（本市の回答が送信済みのときのみ。未送信なら null）' }),
  answered: Type.Integer({ description: 'この対策に回答した団体数（後から追加した対策では respondents より少ないことがある）' }),
  retired: Type.Boolean({ description: '廃止した対策（?includeRetired=true のときのみ含む）' }),
  previousRatePercent: Type.Union([Type.Number(), Type.Null()], { description: 'コピー元の調査回での実施・検討率（対策コードで対応付け）' }),
  rateChange: Type.Union([Type.Number(), Type.Null()], { description: '前回からの増減（ポイント）' }),
  newThisRound: Type.Boolean({ description: '今回から加わった対策' }),
});

export const ResultsSchema = Type.Object({
  surveyId: Type.Integer(),
  respondents: Type.Integer({ description: '回答団体数（送信済、本市を除く）' }),
  denominator: Type.Integer({ description: '実施・検討率の分母（= respondents）' }),
  bands: Type.Array(ResultBandSchema),
  measures: Type.Array(MeasureResultSchema),
  hostCityCode: Type.String(),
  hostAnswered: Type.Boolean(),
  previousRound: Type.Union([
    Type.Object({ surveyId: Type.Integer(), title: Type.String(), respondents: Type.Integer() }),
    Type.Null(),
  ]),
});

export const ResultsQuery = Type.Object({
  includeRetired: Type.Optional(Type.Boolean({ description: '廃止した対策も含める' })),
});
