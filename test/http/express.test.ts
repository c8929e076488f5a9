import { describeAdapter } from './adapter-suite.ts';

describe('requestContext() (logbridge/express, Express 5)', () => {
  describeAdapter('express');
});
