// The app factory: builds a Fastify instance on a given database (tests and server.ts both call it).
// Load order, as in Fastify's guides: ecosystem plugins, own plugins, then the routes: routes/api (JSON) and
// routes/pages (HTML).
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
import respondentAuthPlugin from './plugins/respondent-auth.js';
import backgroundPlugin from './plugins/background.js';
import loginLimitPlugin from './plugins/login-limit.js';
import apiGuardPlugin from './plugins/api-guard.js';
import surveyPlugin from './plugins/survey.js';
import apiRoutes from './routes/api/index.js';
import pageRoutes from './routes/pages/index.js';
import { ResultsWorkbookCache } from './services/results-workbook-cache.js';
import { SurveyDefinitionCache } from './services/survey-definitions.js';
import { RenderedPageCache } from './views/page-cache.js';
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

  // Querystrings, params and the pages' form bodies arrive as text and are coerced to their schema's types (a lone
  // checkbox becomes a one-item array); the API's JSON bodies never are (coercion would turn `"hasPlan": false`
  // into null for a `null | boolean` field).
  const validators = { coercing: newAjv('array'), strict: newAjv(false) };
  app.setValidatorCompiler(({ schema, httpPart, url }) => (httpPart === 'body' && url.startsWith('/api/') ? validators.strict : validators.coercing).compile(schema));

  app.decorate('config', config);
  app.decorate('clock', deps.clock ?? (() => new Date()));
  const links: LinkDeps = { linkKey: linkKey(config.jwtSecret), publicUrl: config.publicUrl };
  app.decorate('links', links);
  app.decorate('resultsWorkbookCache', new ResultsWorkbookCache());
  app.decorate('surveyDefinitions', new SurveyDefinitionCache());
  app.decorate('resultsCache', new ResultsCache());
  app.decorate('renderedPages', new RenderedPageCache(config.pageCacheBytes));

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
  await app.register(backgroundPlugin);
  await app.register(loginLimitPlugin);
  await app.register(viewsPlugin, { production: config.production });
  await app.register(surveyPlugin);
  await app.register(docsPlugin, { publicUrl: config.publicUrl });

  // the two groups of routes, each with its own authentication hooks and its own way of showing an error
  await app.register(apiRoutes);
  await app.register(pageRoutes);

  return app;
}
