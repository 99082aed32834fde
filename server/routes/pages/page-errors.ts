// The one error handler of every HTML route (installed in pages/index.ts), and what a page does with a request
// that failed its schema: a path that names no page (a malformed survey id, like an unknown one) is the 404 page;
// a form or query that failed is re-rendered by its route when the route reads the failure (it declares
// attachValidation and calls assertValidForm), else it is the 400 page with the same Japanese messages.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { badRequest, type DomainError, notFound } from '../../domain/errors.js';
import { toFieldErrors, validationSummary, type SchemaError } from '../../lib/schema-errors.js';
import { databaseRefusalStatus, toErrorReply } from '../../plugins/errors.js';
import { paramFailed } from '../../plugins/survey.js';
import { consoleErrorPage } from './organiser/common.js';
import { respondentErrorPage } from './respondent/error-page.js';

/** The respondent's pages (the personal link and everything under /respond) look like the respondent's form. */
const isRespondentPage = (url: string) => url.startsWith('/r/') || /^\/respond(?:[/?]|$)/.test(url);

export function pageErrorHandler(app: FastifyInstance) {
  return async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const body = toErrorReply(error, request);
    if (body.statusCode >= 500) request.log.error({ err: error, reqId: request.id }, 'page request failed');
    else if (databaseRefusalStatus(error)) request.log.warn({ err: error, reqId: request.id }, 'the database refused an input no check caught');
    else request.log.info({ code: body.code, statusCode: body.statusCode }, body.message);
    if (body.statusCode === 503) reply.header('Retry-After', '5');
    if (body.statusCode === 429 && !reply.hasHeader('Retry-After')) reply.header('Retry-After', '60');
    return isRespondentPage(request.url) ? respondentErrorPage(app, error, body, request, reply) : consoleErrorPage(body, reply);
  };
}

/** The form's (or query's) schema failure as a DomainError with one Japanese message per field, or undefined. */
export function formFailure(request: FastifyRequest): DomainError | undefined {
  const failed = request.validationError as (Error & { validation?: SchemaError[]; validationContext?: string }) | undefined;
  if (!failed?.validation) return undefined;
  const errors = toFieldErrors(failed.validation);
  return badRequest(validationSummary(failed.validationContext, errors.length), errors);
}

/** In a route that re-renders its form: throws the schema failure (caught by the route's own re-render). */
export function assertValidForm(request: FastifyRequest): void {
  const failure = formFailure(request);
  if (failure) throw failure;
}

/**
 * For every page route (an onRoute hook of the pages group): validation failures reach the route's preHandlers, so
 * the login gate runs first; then a malformed path is the 404 page, and a route that does not re-render its form
 * answers a failed form with the 400 page. Routes under /organiser/surveys/:id get request.survey (404 when unknown).
 */
export function pageRouteOptions(app: FastifyInstance) {
  return (route: RouteOptions) => {
    const rerenders = route.attachValidation === true;
    const survey = route.url.startsWith('/organiser/surveys/:id');
    route.attachValidation = true;
    const checkSchema = async (request: FastifyRequest) => {
      if (!request.validationError) return;
      if ((request.validationError as { validationContext?: string }).validationContext === 'params') {
        throw survey && paramFailed(request, 'id') ? notFound('調査') : notFound('ページ');
      }
      if (!rerenders) throw formFailure(request) ?? request.validationError;
    };
    const own = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    route.preHandler = [...own, checkSchema, ...(survey ? [app.loadSurvey] : [])];
  };
}
