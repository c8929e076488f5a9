import assert from 'node:assert/strict';
import { getLogger } from '../../src/index.ts';
import { captureLogs } from '../../src/testing/index.ts';
import { RequestTally } from '../../src/core/request-tally.ts';
import { writeRequestLog, type RequestFacts } from '../../src/http/request-log.ts';

const request = { method: 'POST', path: '/orders/8812', scheme: 'https', header: () => undefined };

async function write(facts: Partial<RequestFacts>) {
  const sink = await captureLogs(() => writeRequestLog(getLogger('http.server'), {
    request, outcome: { statusCode: 200 }, route: '/orders/:id', seconds: 0.0123456789, tally: undefined, ...facts,
  }));
  assert.equal(sink.records.length, 1);
  return sink.records[0]!;
}

describe('writeRequestLog()', () => {
  it('writes the access-log record without a tally, the path standing in for a missing route', async () => {
    const record = await write({ route: undefined });
    assert.equal(record.eventName, 'http.server.request');
    assert.equal(record.body, 'POST /orders/8812 200');
    assert.equal(record.allAttributes['http.server.request.duration'], 0.012346);
    assert.equal(record.allAttributes['logbridge.records.info'], undefined);
  });

  it('never puts the raw path in the canonical line\'s message', async () => {
    const record = await write({ route: undefined, tally: new RequestTally() });
    assert.equal(record.body, 'POST (no route) 200');
    assert.equal(record.allAttributes['url.path'], '/orders/8812');
  });

  it('reports counts, the first error and added attributes, and closes the tally', async () => {
    const tally = new RequestTally();
    tally.counts[1] = 3;
    tally.counts[4] = 1;
    tally.firstError = { type: 'DbError', message: 'pool exhausted' };
    tally.attributes = { 'cart.items': 2, 'http.response.status_code': 999 };
    const record = await write({ outcome: { statusCode: 503 }, tally });
    const a = record.allAttributes;
    assert.equal(a['logbridge.records.debug'], 3);
    assert.equal(a['logbridge.records.error'], 1);
    assert.equal(a['logbridge.records.info'], undefined);
    assert.equal(a['logbridge.first_error.type'], 'DbError');
    assert.equal(a['error.type'], 'DbError');
    assert.equal(a['cart.items'], 2);
    assert.equal(a['http.response.status_code'], 503, 'an added attribute never overrides an outcome field');
    assert.equal(record.severityText, 'ERROR');
    assert.equal(tally.closed, true);
  });

  it('keeps error.type for failed requests: a handled error on a 200 is only the first error', async () => {
    const tally = new RequestTally();
    tally.firstError = { type: 'TimeoutError', message: 'retried' };
    const record = await write({ tally });
    assert.equal(record.allAttributes['error.type'], undefined);
    assert.equal(record.allAttributes['logbridge.first_error.type'], 'TimeoutError');
  });

  it('leaves the status out of an aborted canonical line whose response never started', async () => {
    const started = await write({ outcome: { statusCode: 200, aborted: true, responseStarted: true }, tally: new RequestTally() });
    assert.equal(started.allAttributes['http.response.status_code'], 200);
    const tally = new RequestTally();
    tally.attributes = { 'http.response.status_code': 201 };
    const never = await write({ outcome: { statusCode: 200, aborted: true, responseStarted: false }, tally });
    assert.equal(never.allAttributes['http.response.status_code'], undefined);
    assert.equal(never.allAttributes['error.type'], 'aborted');
    assert.equal(never.body, 'POST /orders/:id aborted');
  });
});
