// The survey's JSON shapes (API.md: Surveys).
import { type Static, Type } from '@sinclair/typebox';
import { SURVEY_STATUSES } from '../domain/glossary.js';
import { SURVEY_TEMPLATES } from '../domain/templates/chukakushi-2018.js';
import { CityCode, IsoDate } from './common.js';

export const SurveyStatusSchema = Type.Union(SURVEY_STATUSES.map((s) => Type.Literal(s)));

const BandThresholds = Type.Array(Type.Integer({ minimum: 1, maximum: 100000000 }), {
  minItems: 1,
  maxItems: 10,
  description: '人口区分の境界（小さい順、既定 [300000, 500000]）',
});

export const CreateSurveyBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    hostCityCode: CityCode,
    deadline: IsoDate,
    bandThresholds: Type.Optional(BandThresholds),
    template: Type.Optional(Type.Union(Object.keys(SURVEY_TEMPLATES).map((t) => Type.Literal(t)))),
    introText: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);
export type CreateSurveyInput = Static<typeof CreateSurveyBody>;

export const PatchSurveyBody = Type.Object(
  {
    status: Type.Optional(SurveyStatusSchema),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    hostCityCode: Type.Optional(CityCode),
    deadline: Type.Optional(IsoDate),
    bandThresholds: Type.Optional(BandThresholds),
    introText: Type.Optional(Type.String({ maxLength: 5000 })),
    contactDepartment: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 200 })], { description: 'メールの問い合わせ先: 担当部署' })),
    contactPhone: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 40 })], { description: 'メールの問い合わせ先: 電話番号' })),
    contactEmail: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 254 })], { description: 'メールの問い合わせ先: メールアドレス' })),
    deadlineGregorian: Type.Optional(Type.Boolean({ description: '画面とメールの回答期限に西暦を併記する。例: 令和9年（2027年）1月22日（金）' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchSurveyInput = Static<typeof PatchSurveyBody>;

export const BandSchema = Type.Object({
  label: Type.String(),
  min: Type.Integer(),
  max: Type.Union([Type.Integer(), Type.Null()]),
});

export const MeasureSchema = Type.Object({
  code: Type.String(),
  category: Type.String(),
  label: Type.String(),
});

export const SurveySchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  status: SurveyStatusSchema,
  hostCityCode: Type.String(),
  deadline: Type.String(),
  deadlineGregorian: Type.Boolean({ description: '画面とメールの回答期限に西暦を併記する' }),
  bandThresholds: Type.Array(Type.Integer()),
  bands: Type.Array(BandSchema),
  measures: Type.Array(MeasureSchema),
  template: Type.String(),
  introText: Type.String(),
  contact: Type.Optional(Type.Object({ department: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) })),
  participants: Type.Integer({ description: '照会先団体の数（本市を含む）' }),
  copiedFromSurveyId: Type.Union([Type.Integer(), Type.Null()]),
});
export type SurveyView = Static<typeof SurveySchema>;

export const ParticipantsBody = Type.Object(
  { cityCodes: Type.Array(CityCode, { minItems: 1, maxItems: 2000 }) },
  { additionalProperties: false },
);
