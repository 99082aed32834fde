// The OpenAPI document, built from the routes' own schemas, and its UI at /docs (served from the package).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorBody } from '../schemas/common.js';
import { API_DESCRIPTION } from './docs-description.js';

async function docsPlugin(app: FastifyInstance, opts: { publicUrl: string }) {
  app.addSchema(ErrorBody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '中核市情報化推進計画調査 API',
        description: API_DESCRIPTION,
        version: '1',
      },
      servers: [{ url: opts.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: '照会元のトークン（POST /api/v1/session）' },
          invitation: { type: 'http', scheme: 'bearer', description: '回答団体の依頼トークン（依頼メールの個人用リンクに含まれるもの）' },
        },
      },
      tags: [
        { name: 'health', description: '稼働確認' },
        { name: 'session', description: '照会元のログイン' },
        { name: 'cities', description: '団体名簿' },
        { name: 'surveys', description: '調査' },
        { name: 'invitations', description: '個人用リンクの発行と督促' },
        { name: 'responses', description: '照会先団体ごとの回答状況と代理入力' },
        { name: 'results', description: '集計結果と調査結果の送付' },
        { name: 'respondent', description: '回答団体' },
      ],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: false },
    staticCSP: false,
  });
}

export default fp(docsPlugin, { name: 'docs' });
