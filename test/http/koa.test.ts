import { describeAdapter } from './adapter-suite.ts';

describe('requestContext() (logbridge/koa, Koa 3)', () => {
  describeAdapter('koa');
});
