// Schemas of the pages' paths, queries and forms. Every value of a form arrives as text and is coerced like a
// querystring (app.ts); the objects stay open, so a form that gains a field keeps working before its schema does.
import { type TProperties, Type } from '@sinclair/typebox';
import { CityCode, SurveyIdParams } from './common.js';

/** An optional text field of a form or query, at most `maxLength` characters. */
export const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));

/** A row id in a path (a survey, an account, a mail, a document): what the database can hold. */
export const RowId = Type.Integer({ minimum: 1, maximum: 2147483647 });

/** /organiser/surveys/:id… */
export const SurveyPageParams = SurveyIdParams;

/** A page's query with the one-line notice a redirect carries (redirectWithNotice), and `more`. */
export const noticeQuery = (more: TProperties = {}) => Type.Object({ notice: text(2000), ...more });

/** A form's body: its fields, and the CSRF token every form carries. */
export const formBody = (fields: TProperties = {}) => Type.Object({ _csrf: text(500), ...fields });

/** Checkboxes: a single ticked box arrives as one value, coerced to a one-item list. */
export const cityCodeList = Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 5000 }));

export const CityPageParams = Type.Object({ id: RowId, cityCode: CityCode });

/** The answer form (the respondent's, and the organiser keying in a city's): `fields`, and any other field as text or a few repeated values. */
export const answerForm = (fields: TProperties = {}) =>
  Type.Object(fields, { additionalProperties: Type.Union([Type.String({ maxLength: 5000 }), Type.Array(Type.String({ maxLength: 5000 }), { maxItems: 5 })]) });
