// JSON shapes of a response (API.md «A response»), the respondent API, invitations and the organiser's list.
// A response's properties come from the field table (domain/response-fields.ts), by each field's kind.
import { type Static, type TObject, type TOptional, type TProperties, type TSchema, Type } from '@sinclair/typebox';
import { ANSWERS } from '../domain/glossary.js';
import { type FieldKind, fieldLocation, RESPONSE_FIELDS, type ResponseFieldSpec } from '../domain/response-fields.js';
import { CityCode } from './common.js';
import { MeasureSchema, SurveyStatusSchema } from './surveys.js';

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
// Null comes first in every union: Ajv's type coercion tries branches in order, and an integer or boolean
// branch first would turn null into 0 or false.
const Text = (maxLength: number, description?: string) => Type.Union([Type.Null(), Type.String({ maxLength })], { description });
const YearInput = Type.Union([Type.Null(), Type.Integer(), Type.String({ maxLength: 20 })], {
  description: '年度: 西暦の整数（2014）、または和暦の文字列（平成26年度 / H26 / 令和2年度 / R2）',
});
const NumberInput = (description?: string) => Type.Union([Type.Null(), Type.Integer(), Type.String({ maxLength: 20 })], { description });
const choiceValues = (f: ResponseFieldSpec) => (f.choices ?? []).map((c) => c.value).filter((v): v is string => typeof v === 'string');

// Each kind of field (domain/response-fields.ts) as it may be sent and as it is returned.
const INPUT = {
  text: (f: ResponseFieldSpec) => Text(f.maxLength?.max ?? 0, f.description),
  yesNo: (f: ResponseFieldSpec) => Type.Union([Type.Null(), Type.Boolean()], { description: f.description }),
  latestNumber: (f: ResponseFieldSpec) => NumberInput(f.description),
  updateCycle: (f: ResponseFieldSpec) => NumberInput(f.description),
  year: (_f: ResponseFieldSpec) => YearInput,
  choice: (f: ResponseFieldSpec) => Type.Union([Type.Null(), literals(choiceValues(f)), Type.Literal('')]),
} satisfies Record<FieldKind, (f: ResponseFieldSpec) => TSchema>;
const OUTPUT = {
  text: (_f: ResponseFieldSpec) => Type.String(),
  yesNo: (_f: ResponseFieldSpec) => Type.Union([Type.Boolean(), Type.Null()]),
  latestNumber: (_f: ResponseFieldSpec) => Type.Union([Type.String(), Type.Null()], { description: '"第4次"' }),
  updateCycle: (_f: ResponseFieldSpec) => Type.Union([Type.Integer(), Type.Null()]),
  year: (_f: ResponseFieldSpec) => Type.Union([Type.Integer(), Type.Null()]),
  choice: (f: ResponseFieldSpec) => Type.Union([literals(choiceValues(f)), Type.Null()]),
} satisfies Record<FieldKind, (f: ResponseFieldSpec) => TSchema>;
const COMPANION_INPUT = (description: string) => Type.Union([Type.Null(), Type.Boolean()], { description });
const COMPANION_OUTPUT = () => Type.Boolean();

// The schemas' static types, derived from the table's types as the schemas are from its rows.
type Field = (typeof RESPONSE_FIELDS)[number];
type KeyIn<F extends Field, G extends string> = F['path'] extends `/${G}/${infer K}` ? K : never;
type CompanionOf<F> = F extends { companion: { key: infer K extends string } } ? K : never;
type GroupInput<G extends string> = { [F in Field as KeyIn<F, G>]: TOptional<ReturnType<(typeof INPUT)[F['kind']]>> } & {
  [F in Field as KeyIn<F, G> extends never ? never : CompanionOf<F>]: TOptional<ReturnType<typeof COMPANION_INPUT>>;
};
type GroupOutput<G extends string> = { [F in Field as KeyIn<F, G>]: ReturnType<(typeof OUTPUT)[F['kind']]> } & {
  [F in Field as KeyIn<F, G> extends never ? never : CompanionOf<F>]: ReturnType<typeof COMPANION_OUTPUT>;
};
type TopField = Extract<Field, { path: '/disclosure' }>;

/** A group's properties (contact, plan) in table order, each field followed by its companion. */
function groupProperties(group: 'contact' | 'plan', side: 'input' | 'output', fields: readonly ResponseFieldSpec[]): TProperties {
  const props: TProperties = {};
  for (const f of fields) {
    const { group: g, key } = fieldLocation(f.path);
    if (g !== group) continue;
    props[key] = side === 'input' ? Type.Optional(INPUT[f.kind](f)) : OUTPUT[f.kind](f);
    if (f.companion) props[f.companion.key] = side === 'input' ? Type.Optional(COMPANION_INPUT(f.companion.description)) : COMPANION_OUTPUT();
  }
  return props;
}
const inputGroup = <G extends 'contact' | 'plan'>(g: G, fields: readonly ResponseFieldSpec[]) =>
  Type.Object(groupProperties(g, 'input', fields), { additionalProperties: false }) as unknown as TObject<GroupInput<G>>;
const outputGroup = <G extends 'contact' | 'plan'>(g: G, fields: readonly ResponseFieldSpec[]) => Type.Object(groupProperties(g, 'output', fields)) as unknown as TObject<GroupOutput<G>>;
const disclosureOf = (fields: readonly ResponseFieldSpec[]) => fields.find((f) => f.path === '/disclosure') as TopField;

const inputSchema = (fields: readonly ResponseFieldSpec[]) =>
  Type.Object(
    {
      version: Type.Optional(Type.Integer({ minimum: 0, description: '最後に読んだ版（楽観的排他制御）' })),
      contact: Type.Optional(inputGroup('contact', fields)),
      plan: Type.Optional(inputGroup('plan', fields)),
      disclosure: Type.Optional(INPUT[disclosureOf(fields).kind](disclosureOf(fields))),
      measures: Type.Optional(
        Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]{1,16}$' }), Type.Union([Type.Null(), literals(ANSWERS), Type.Literal('')]), {
          description: '対策コード → implemented（実施済）/ studying（検討中）/ none（未実施）',
        }),
      ),
    },
    { additionalProperties: false },
  );
const answersSchema = (fields: readonly ResponseFieldSpec[]) =>
  Type.Object({
    contact: outputGroup('contact', fields),
    plan: outputGroup('plan', fields),
    disclosure: OUTPUT[disclosureOf(fields).kind](disclosureOf(fields)),
    measures: Type.Record(Type.String(), literals(ANSWERS)),
  });

/** The input and output schemas of a response built from a field table (the table's own copy, in a test). */
export const responseSchemasFor = (fields: readonly ResponseFieldSpec[]) => ({ input: inputSchema(fields), answers: answersSchema(fields) });

/** Input: every field optional (absent = unchanged, null or "" = cleared); loosely typed, normalised by the domain. */
export const ResponseInputSchema = inputSchema(RESPONSE_FIELDS);

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
export const AnswersSchema = answersSchema(RESPONSE_FIELDS);
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
