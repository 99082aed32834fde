// Schemas shared by many routes: the error body of API.md, the 団体コード, ids.
import { type TSchema, Type } from '@sinclair/typebox';

/** A 6-digit 全国地方公共団体コード; the `city-code` format also checks the check digit. */
export const CityCode = Type.String({ pattern: '^[0-9]{6}$', format: 'city-code', description: '全国地方公共団体コード（6 桁、検査数字付き）', examples: ['282049'] });

export const IsoDate = Type.String({ format: 'date', description: 'ISO 8601 の日付（例: 2018-10-31）' });

export const FieldErrorSchema = Type.Object({
  path: Type.String({ description: '誤りのある項目（JSON Pointer、または シート名!セル）' }),
  message: Type.String({ description: '日本語の説明' }),
});

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    code: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
  },
  { $id: 'ErrorBody', description: 'エラー応答' },
);

export const SurveyIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

/** Standard error responses to merge into a route's `response` schema. */
export function errorResponses(...codes: number[]): Record<number, TSchema> {
  return Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorBody')]));
}
