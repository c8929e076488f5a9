import { describeAdapter } from './adapter-suite.ts';

describe('requestContext() (logbridge/hono, Hono 4 on @hono/node-server)', () => {
  describeAdapter('hono');
});
