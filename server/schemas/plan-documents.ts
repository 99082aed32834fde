// Schemas of the plan-document API (API.md «Plan documents»).
import { Type } from '@sinclair/typebox';

const EvidenceSchema = Type.Object({ page: Type.Integer({ minimum: 1 }), text: Type.String() });
const field = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(value: T) =>
  Type.Union([Type.Object({ value, evidence: Type.Array(EvidenceSchema) }), Type.Null()]);

export const ReadingSchema = Type.Object(
  {
    plan: Type.Object({
      name: field(Type.String()),
      latestNumber: field(Type.String({ examples: ['第4次'] })),
      periodStart: field(Type.Integer()),
      periodEnd: field(Type.Integer()),
      updateCycleYears: field(Type.Integer()),
      nextPlan: field(Type.String({ enum: ['update', 'merge', 'abolish', 'undecided'] })),
    }),
    measures: Type.Record(
      Type.String(),
      Type.Object({ suggestion: Type.Union([Type.Literal('implemented'), Type.Literal('studying')]), evidence: Type.Array(EvidenceSchema, { minItems: 1 }) }),
    ),
  },
  { description: '文書から読み取った内容（回答には自動で反映しません）' },
);

export const ShareableSchema = Type.Union([Type.Literal('all'), Type.Literal('host')], { description: '提供可否: all = 他の回答団体に提供してよい / host = 照会元のみ' });

export const PlanDocumentSchema = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  contentType: Type.String(),
  bytes: Type.Integer(),
  pages: Type.Integer(),
  shareable: ShareableSchema,
});

export const AttachedSchema = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  contentType: Type.String(),
  bytes: Type.Integer(),
  pages: Type.Integer(),
  shareable: ShareableSchema,
  reading: ReadingSchema,
  warnings: Type.Array(Type.String(), { description: '例: 文字を読み取れませんでした（画像の PDF の可能性があります）。' }),
});

export const OrganiserPlanDocumentSchema = Type.Object({
  id: Type.Integer(),
  cityCode: Type.String(),
  fileName: Type.String(),
  contentType: Type.String(),
  bytes: Type.Integer(),
  pages: Type.Integer(),
  shareable: ShareableSchema,
});

export const SearchHitSchema = Type.Object({ docId: Type.Integer(), cityCode: Type.String(), page: Type.Integer(), snippet: Type.String() });

export const PlanFile = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: '添付された計画書のファイル' });
