// The app factory: builds a Fastify instance on a given database (tests and server.ts both call it).
// Load order, as in Fastify's guides: ecosystem plugins, own plugins, then routes.
import formbody from '@fastify/formbody';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { isValidCityCode } from './domain/city-code.js';
import { linkKey, redactLinkPath } from './domain/invitation-tokens.js';
import { type LinkDeps, renderMailBody } from './services/invitations.js';
import authPlugin from './plugins/auth.js';
import csrfPlugin from './plugins/csrf.js';
import dbPlugin from './plugins/db.js';
import docsPlugin from './plugins/docs.js';
import errorsPlugin from './plugins/errors.js';
import mailPlugin from './plugins/mail.js';
import securityPlugin from './plugins/security.js';
import viewsPlugin from './plugins/views.js';
import cityRoutes from './routes/api/cities.js';
import healthRoutes from './routes/api/health.js';
import sessionRoutes from './routes/api/session.js';
import surveyRoutes from './routes/api/surveys.js';
import resultsRoutes from './routes/api/results.js';
import resultsPages from './routes/pages/results.js';
import homePages from './routes/pages/home.js';
import respondentAuthPlugin from './plugins/respondent-auth.js';
import receiptsPlugin from './plugins/receipts.js';
import invitationRoutes from './routes/api/invitations.js';
import respondentRoutes from './routes/api/respondent.js';
import responseRoutes from './routes/api/responses.js';
import respondentPages from './routes/pages/respondent.js';
import organiserPages from './routes/pages/organiser/index.js';
import workbookRoutes from './routes/api/workbooks.js';
import questionnaireRoutes from './routes/api/questionnaire.js';
import questionnaireUploadPages from './routes/pages/questionnaire-upload.js';
import loginLimitPlugin from './plugins/login-limit.js';
import planDocumentRoutes from './routes/api/plan-documents.js';
import respondentPlanPages from './routes/pages/respondent-plans.js';
import apiGuardPlugin from './plugins/api-guard.js';
import { ResultsWorkbookCache } from './services/results-workbook-cache.js';
import { SurveyDefinitionCache } from './services/survey-definitions.js';
import { ResultsCache } from './services/results-cache.js';

export interface AppDeps {
  database: DatabaseHandle;
  /** The current time; tests pass a fixed clock. */
  clock?: () => Date;
  /** Delays between SMTP attempts; tests shorten them. */
  mailRetryDelaysMs?: number[];
  /** Where the request log goes (default stdout); tests read it. */
  logStream?: NodeJS.WritableStream;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: () => Date;
    /** what personal links are derived with and where they point (domain/invitation-tokens.ts) */
    links: LinkDeps;
  }
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

function newAjv(coerceTypes: 'array' | false) {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes, strict: false });
  addFormats(ajv);
  ajv.addFormat('city-code', (code: string) => isValidCityCode(code));
  return ajv;
}

export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'body.password'],
            // personal links carry their token in the path: never write it to the log
            serializers: { req: (req) => ({ method: req.method, url: redactLinkPath(req.url), host: req.host, remoteAddress: req.ip }) },
            ...(deps.logStream ? { stream: deps.logStream } : {}),
            // in a terminal: readable lines (pino-pretty, in its own worker) instead of JSON
            ...(config.logFormat === 'pretty' && !deps.logStream
              ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname,reqId' } } }
              : {}),
          },
    // a terminal at the default level shows what matters (start-up, warnings, errors), not a line per request
    logController: new LogController({ disableRequestLogging: config.logFormat === 'pretty' && config.logLevel === 'info' }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Only behind a declared proxy is X-Forwarded-For believed (else anyone could pick their own address).
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    // A request must arrive whole within the limit and an idle connection is closed after it (slowloris);
    // Node checks open connections against it every quarter of the limit (30 s at most).
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    http: { connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.requestTimeoutMs / 4))) },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Querystrings and params arrive as text and are coerced to their schema's types; JSON bodies never are
  // (coercion would turn `"hasPlan": false` into null for a `null | boolean` field).
  const validators = { coercing: newAjv('array'), strict: newAjv(false) };
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? validators.strict : validators.coercing).compile(schema));

  app.decorate('config', config);
  app.decorate('clock', deps.clock ?? (() => new Date()));
  const links: LinkDeps = { linkKey: linkKey(config.jwtSecret), publicUrl: config.publicUrl };
  app.decorate('links', links);
  app.decorate('resultsWorkbookCache', new ResultsWorkbookCache());
  app.decorate('surveyDefinitions', new SurveyDefinitionCache());
  app.decorate('resultsCache', new ResultsCache());

  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  await app.register(errorsPlugin);
  await app.register(securityPlugin);
  await app.register(apiGuardPlugin);
  await app.register(dbPlugin, { database: deps.database });
  await app.register(authPlugin, { config });
  await app.register(mailPlugin, {
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    retryDelaysMs: deps.mailRetryDelaysMs,
    leaseMs: config.mailLeaseMs,
    pollMs: config.mailPollMs,
    renderBody: (message) => renderMailBody(deps.database.db, links, message),
  });
  await app.register(csrfPlugin);
  await app.register(respondentAuthPlugin);
  await app.register(receiptsPlugin);
  await app.register(loginLimitPlugin);
  await app.register(viewsPlugin, { production: config.production });
  await app.register(docsPlugin, { publicUrl: config.publicUrl });

  await app.register(healthRoutes);
  await app.register(sessionRoutes);
  await app.register(cityRoutes);
  await app.register(surveyRoutes);
  await app.register(resultsRoutes);
  await app.register(resultsPages);
  await app.register(homePages);
  await app.register(invitationRoutes);
  await app.register(respondentRoutes);
  await app.register(responseRoutes);
  await app.register(respondentPages);
  await app.register(organiserPages);
  await app.register(workbookRoutes);
  await app.register(questionnaireRoutes);
  await app.register(questionnaireUploadPages);
  await app.register(planDocumentRoutes);
  await app.register(respondentPlanPages);

  return app;
}
