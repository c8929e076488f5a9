import { describeAdapter } from './adapter-suite.ts';

describe('requestContext (logbridge/fastify, Fastify 5)', () => {
  describeAdapter('fastify');
});
