// The roster's JSON shapes (API.md: Cities).
import { type Static, Type } from '@sinclair/typebox';
import { CityCode, IsoDate } from './common.js';

export const CityInputSchema = Type.Object(
  {
    code: CityCode,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    prefecture: Type.String({ minLength: 1, maxLength: 10 }),
    population: Type.Integer({ minimum: 0, maximum: 100000000 }),
    populationDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
    nameKana: Type.Optional(Type.Union([Type.String({ maxLength: 100, description: '市名の読み（カタカナ。ひらがな・半角カナも可）。省略すると登録済みの読みを変えません', examples: ['ニシノミヤシ'] }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CityInputBody = Static<typeof CityInputSchema>;

export const CitySchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  prefecture: Type.String(),
  population: Type.Integer(),
  populationDate: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  nameKana: Type.Union([Type.String(), Type.Null()]),
});
export type CityView = Static<typeof CitySchema>;
