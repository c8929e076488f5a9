/**
 * `npm run demo`: two services on 127.0.0.1 — shop (Express) calls
 * inventory (node:http) — inside a real tracing SDK, driven by a handful of
 * requests. stdout gets JSON lines: every line of one request, in both
 * services, carries the same `request.id` and `trace_id`. A summary goes to
 * stderr. With OTEL_EXPORTER_OTLP_ENDPOINT set, logs (and spans) are also
 * exported over OTLP.
 */
process.env.LOGBRIDGE_FORMAT ??= 'json';

const { startTracing } = await import('./demo/tracing.ts');
const provider = await startTracing();
const { shutdown } = await import('../src/index.ts');
const { startInventory } = await import('./demo/inventory.ts');
const { startShop } = await import('./demo/shop.ts');

const inventory = await startInventory();
const shop = await startShop(inventory.url);

const requests: Array<{ what: string; sku: string; headers: Record<string, string> }> = [
  { what: 'with an incoming X-Request-ID', sku: 'book', headers: { 'x-request-id': 'order-7f3a', 'x-user-id': 'u-42' } },
  { what: 'without an ID (one is generated)', sku: 'pen', headers: {} },
  { what: 'that fails with an expected error', sku: 'unicorn', headers: { 'x-request-id': 'order-9c1e' } },
  { what: 'with an unsafe ID (rejected, replaced)', sku: 'pen', headers: { 'x-request-id': 'drop table; <script>' } },
  { what: 'continuing an upstream trace', sku: 'book', headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } },
];

const summary: string[] = [];
for (const { what, sku, headers } of requests) {
  const res = await fetch(`${shop.url}/orders/${sku}`, { method: 'POST', headers });
  await res.arrayBuffer();
  summary.push(`  ${res.status}  request.id=${res.headers.get('x-request-id')}  ← request ${what}`);
}

shop.close();
inventory.close();
await provider.shutdown().catch((error: unknown) => {
  process.stderr.write(`demo: spans were not exported (${error instanceof Error ? error.message : String(error)})\n`);
});
await shutdown();
process.stderr.write(`demo: ${requests.length} requests through shop → inventory; every stdout line of a request shares its request.id and trace_id:\n${summary.join('\n')}\n`);
