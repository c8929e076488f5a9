import { describeAdapter } from './adapter-suite.ts';

describe('requestContext() (logbridge/node, node:http)', () => {
  describeAdapter('node');
});
