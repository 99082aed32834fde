// request.survey: the survey named by a route's `:id`, read once per request (routes under /organiser/surveys/:id
// and /api/v1/surveys/:id). An unknown id, or one that is not a survey number at all, is the same 404 everywhere.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Survey } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import { findSurvey } from '../repositories/surveys.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: loads request.survey from the `:id` param (validated as a survey id by the route's schema), else 404. */
    loadSurvey: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    survey?: Survey;
  }
}

/** True when the route's params failed their schema at `field` (pages validate with attachValidation). */
export function paramFailed(request: FastifyRequest, field?: string): boolean {
  const failure = request.validationError;
  if (!failure || (failure as { validationContext?: string }).validationContext !== 'params') return false;
  const errors = (failure as { validation?: Array<{ instancePath?: string }> }).validation ?? [];
  return field === undefined || errors.some((e) => e.instancePath === `/${field}`);
}

async function surveyPlugin(app: FastifyInstance) {
  app.decorateRequest('survey', undefined);
  app.decorate('loadSurvey', async (request: FastifyRequest) => {
    const id = (request.params as { id?: unknown }).id;
    const survey = typeof id === 'number' && !paramFailed(request, 'id') ? await findSurvey(app.db, id) : undefined;
    if (!survey) throw notFound('調査');
    request.survey = survey;
  });
}

export default fp(surveyPlugin, { name: 'survey', dependencies: ['db'] });
