// The home page: what the platform is, and where to go.
import type { FastifyPluginAsync } from 'fastify';

const homePages: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.view('pages/home.hbs', { title: 'ホーム' }));
};

export default homePages;
