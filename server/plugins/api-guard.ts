// Organiser API routes take a JSON body only as application/json: a form-encoded or text body (what a
// same-site page can make a browser send without CORS) is refused with 415 before it is parsed.
// The respondent API (/api/v1/response…) has its own upload types and is left to its routes.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../domain/errors.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True for a request to an organiser API route that carries a body not declared as JSON. */
export function isNonJsonOrganiserApiBody(request: Pick<FastifyRequest, 'method' | 'url' | 'headers'>): boolean {
  if (!BODY_METHODS.has(request.method)) return false;
  const path = request.url.split('?')[0];
  if (!path.startsWith('/api/') || path === '/api/v1/response' || path.startsWith('/api/v1/response/')) return false;
  const length = request.headers['content-length'];
  const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  const type = request.headers['content-type'];
  if (!hasBody && type === undefined) return false;
  if (/^application\/json\s*(;|$)/i.test(type ?? '')) return false;
  // a filled questionnaire the organiser uploads for a city (PUT …/questionnaire.xlsx): not a type a form can send
  return !(path.endsWith('.xlsx') && /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet\s*(;|$)/i.test(type ?? ''));
}

async function apiGuardPlugin(app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    if (isNonJsonOrganiserApiBody(request)) {
      throw new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', 'この形式のデータは受け付けられません。照会元の API は JSON 形式（Content-Type: application/json）の本文のみ受け付けます。');
    }
  });
}

export default fp(apiGuardPlugin, { name: 'api-guard', dependencies: ['errors'] });
