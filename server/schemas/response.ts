// JSON shapes of a response (API.md «A response»), the respondent API, invitations and the organiser's list.
import { type Static, Type } from '@sinclair/typebox';
import { ANSWERS, DISCLOSURES, NEXT_PLANS } from '../domain/glossary.js';
import { CityCode } from './common.js';
import { MeasureSchema, SurveyStatusSchema } from './surveys.js';

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
// Null comes first in every union: Ajv's type coercion tries branches in order, and an integer or boolean
// branch first would turn null into 0 or false.
const Text = (maxLength: number, description?: string) => Type.Union([Type.Null(), Type.String({ maxLength })], { description });
const YearInput = Type.Union([Type.Null(), Type.Integer(), Type.String({ maxLength: 20 })], {
  description: '年度: 西暦の整数（2014）、または和暦の文字列（平成26年度 / H26 / 令和2年度 / R2）',
});

/** Input: every field optional (absent = unchanged, null or "" = cleared); loosely typed, normalised by the domain. */
export const ResponseInputSchema = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 0, description: '最後に読んだ版（楽観的排他制御）' })),
    contact: Type.Optional(
      Type.Object(
        {
          department: Type.Optional(Text(200, '担当部署（部課等名）')),
          personKana: Type.Optional(Text(100, '担当者名（カナ）')),
          phone: Type.Optional(Text(40, '電話番号（直通）')),
          email: Type.Optional(Text(254, 'メールアドレス（所属）')),
        },
        { additionalProperties: false },
      ),
    ),
    plan: Type.Optional(
      Type.Object(
        {
          hasPlan: Type.Optional(Type.Union([Type.Null(), Type.Boolean()], { description: '計画あり / 計画なし（「なし」）' })),
          name: Type.Optional(Text(300, '計画名称')),
          latestNumber: Type.Optional(Type.Union([Type.Null(), Type.Integer(), Type.String({ maxLength: 20 })], { description: '最新番号: "第4次" / "第四次" / 4' })),
          updateCycleYears: Type.Optional(Type.Union([Type.Null(), Type.Integer(), Type.String({ maxLength: 20 })], { description: '更新頻度（年、1〜20）' })),
          updateCycleIrregular: Type.Optional(Type.Union([Type.Null(), Type.Boolean()], { description: '更新頻度が不定期' })),
          periodStart: Type.Optional(YearInput),
          periodEnd: Type.Optional(YearInput),
          nextPlan: Type.Optional(Type.Union([Type.Null(), literals(NEXT_PLANS), Type.Literal('')])),
          notes: Type.Optional(Text(2000, '備考')),
        },
        { additionalProperties: false },
      ),
    ),
    disclosure: Type.Optional(Type.Union([Type.Null(), literals(DISCLOSURES), Type.Literal('')])),
    measures: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]{1,16}$' }), Type.Union([Type.Null(), literals(ANSWERS), Type.Literal('')]), {
        description: '対策コード → implemented（実施済）/ studying（検討中）/ none（未実施）',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ResponseInputBody = Static<typeof ResponseInputSchema>;

export const OrganiserResponseInputSchema = Type.Object(
  {
    ...ResponseInputSchema.properties,
    submit: Type.Optional(Type.Boolean({ description: 'true なら保存と同時に送信する（集計に使う回答を置き換える）。false・省略は一時保存（送信済みの団体では集計に使う回答は変わらない）' })),
    reason: Type.Optional(Type.String({ maxLength: 500, description: '修正理由（調査が締切のときは必須。監査ログに記録）' })),
  },
  { additionalProperties: false },
);

/** Output: the answers as stored (API.md «A response» without version). */
export const AnswersSchema = Type.Object({
  contact: Type.Object({ department: Type.String(), personKana: Type.String(), phone: Type.String(), email: Type.String() }),
  plan: Type.Object({
    hasPlan: Type.Union([Type.Boolean(), Type.Null()]),
    name: Type.String(),
    latestNumber: Type.Union([Type.String(), Type.Null()], { description: '"第4次"' }),
    updateCycleYears: Type.Union([Type.Integer(), Type.Null()]),
    updateCycleIrregular: Type.Boolean(),
    periodStart: Type.Union([Type.Integer(), Type.Null()]),
    periodEnd: Type.Union([Type.Integer(), Type.Null()]),
    nextPlan: Type.Union([literals(NEXT_PLANS), Type.Null()]),
    notes: Type.String(),
  }),
  disclosure: Type.Union([literals(DISCLOSURES), Type.Null()]),
  measures: Type.Record(Type.String(), literals(ANSWERS)),
});
export type AnswersView = Static<typeof AnswersSchema>;

export const ResponseStatusSchema = Type.Union([Type.Literal('not_started'), Type.Literal('draft'), Type.Literal('submitted')]);

export const RespondentViewSchema = Type.Object({
  survey: Type.Object({ id: Type.Integer(), title: Type.String(), status: SurveyStatusSchema, deadline: Type.String(), measures: Type.Array(MeasureSchema) }),
  city: Type.Object({ code: Type.String(), name: Type.String() }),
  status: ResponseStatusSchema,
  version: Type.Integer({ description: '0 = まだ保存されていない' }),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  hasUnsubmittedChanges: Type.Boolean({ description: '送信後に保存した、まだ送信していない変更がある（集計には送信済みの回答を使う）' }),
  answers: AnswersSchema,
});

export const SavedSchema = Type.Object({
  status: Type.Union([Type.Literal('draft'), Type.Literal('submitted')], { description: '最初の送信までは draft、送信後は submitted のまま' }),
  version: Type.Integer(),
  hasUnsubmittedChanges: Type.Boolean(),
});
export const SubmittedSchema = Type.Object({ status: Type.Literal('submitted'), submittedAt: Type.String(), version: Type.Integer() });

export const OrganiserSavedSchema = Type.Object({
  cityCode: Type.String(),
  status: Type.Union([Type.Literal('not_started'), Type.Literal('draft'), Type.Literal('submitted')]),
  version: Type.Integer(),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  hasUnsubmittedChanges: Type.Boolean(),
  answers: AnswersSchema,
  submittedAnswers: Type.Optional(Type.Union([AnswersSchema, Type.Null()], { description: '集計に使う、最後に送信された回答（送信前は null）。answers は未送信の変更を含む最新の保存内容' })),
});

export const ResponseListSchema = Type.Array(
  Type.Object({
    cityCode: Type.String(),
    cityName: Type.String(),
    status: ResponseStatusSchema,
    submittedAt: Type.Union([Type.String(), Type.Null()]),
    hasUnsubmittedChanges: Type.Boolean(),
    version: Type.Integer(),
    updatedAt: Type.Union([Type.String(), Type.Null()]),
  }),
);

export const CityResponseParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), cityCode: CityCode });

export const InvitationsBody = Type.Object(
  {
    cityCodes: Type.Optional(Type.Array(CityCode, { minItems: 1, maxItems: 2000 })),
    send: Type.Optional(Type.Boolean({ description: 'true なら団体の email へ依頼メールを送る' })),
  },
  { additionalProperties: false },
);

export const IssuedInvitationSchema = Type.Object({
  cityCode: Type.String(),
  url: Type.String({ description: '回答団体が開く個人用リンク（絶対 URL）' }),
  token: Type.String({ description: 'ここでのみ表示（保存はハッシュのみ）' }),
  mail: Type.Optional(
    Type.Object({
      status: Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('outbox'), Type.Literal('failed'), Type.Literal('no_address')], { description: 'queued: 送信処理中（数秒で送信）、outbox: 送信トレイ（SMTP 未設定）' }),
      to: Type.Union([Type.String(), Type.Null()]),
      message: Type.String(),
    }),
  ),
});

/** preValidation hook: a POST whose body fields are all optional may come with no body at all. */
export async function emptyBodyAsObject(request: { body: unknown }): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
