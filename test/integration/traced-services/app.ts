import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { addRequestAttributes, getLogger, propagatingFetch, shutdown } from '../../../src/index.ts';
import { requestContext } from '../../../src/http/node.ts';

/**
 * Child-process fixture: two traced services in one process, over
 * 127.0.0.1. Spans go to TRACES_URL through the SDK's own OTLP/HTTP
 * exporter; logbridge is configured by the environment alone
 * (LOGBRIDGE_SPAN_EVENTS, OTEL_EXPORTER_OTLP_ENDPOINT). The front answers
 * `/order/:id`, asking the back for stock; `/order/bad` fails in the back,
 * `/order/slow` is aborted by the client. Prints one `REQUESTS n` line on stderr.
 */
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const provider = new TracerProvider({
  spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: process.env.TRACES_URL! }), scheduledDelayMillis: 50 })],
});
trace.setGlobalTracerProvider(provider);

const backLog = getLogger('inventory');
const frontLog = getLogger('shop');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const back = http.createServer(requestContext(async (req, res) => {
  const item = String(req.url).split('/')[2] ?? '';
  backLog.event('stock.checked', { 'item.id': item });
  if (item === 'bad') {
    backLog.error('stock lookup failed', new RangeError('no such shelf'));
    res.statusCode = 500;
    res.end();
    return;
  }
  if (item === 'slow') await sleep(600);
  res.end('7');
}, { canonicalLine: true, accessLog: { logger: 'inventory.http' } }));

const front = http.createServer(requestContext(async (req, res) => {
  const item = String(req.url).split('/')[2] ?? '';
  frontLog.info('order received');
  const answer = await propagatingFetch(`http://127.0.0.1:${(back.address() as AddressInfo).port}/stock/${item}`);
  const body = await answer.text();
  addRequestAttributes({ 'order.item': item });
  if (answer.status !== 200) {
    frontLog.warn('stock unknown', { status: answer.status });
    res.statusCode = 502;
  }
  res.end(body);
}, { canonicalLine: { logger: 'shop.http' } }));

await new Promise<void>((resolve) => back.listen(0, '127.0.0.1', resolve));
await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
let requests = 0;
for (const item of ['a1', 'bad', 'b2']) {
  requests++;
  await (await fetch(`${url}/order/${item}`, { headers: { 'x-request-id': `req-${item}` } })).text();
}
requests++;
const controller = new AbortController();
const slow = fetch(`${url}/order/slow`, { headers: { 'x-request-id': 'req-slow' }, signal: controller.signal });
setTimeout(() => controller.abort(), 150);
await slow.then((r) => r.text()).catch(() => undefined);
await sleep(700); // the back answers the abandoned call; its line follows
process.stderr.write(`REQUESTS ${requests}\n`);
front.close();
back.close();
front.closeAllConnections();
back.closeAllConnections();
await provider.shutdown();
await shutdown();
