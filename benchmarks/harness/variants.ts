/**
 * The record shapes of scenario 1 (and 3): the same message and attributes
 * for every library, each called the way its documentation shows.
 */
export interface Variant {
  readonly name: string;
  readonly title: string;
  readonly message: string;
  /** The call's attributes; `undefined` for a message-only call. */
  readonly attrs: ((i: number) => Record<string, unknown>) | undefined;
  /** An error logged with the call (made once: capturing a stack costs more than logging it). */
  readonly error?: Error;
}

/** The binding of the child logger every case logs through. */
export const BINDING = { service: 'checkout' } as const;

const LONG = 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(36).slice(0, 2000);

function paymentError(): Error {
  const cause = new Error('connect ETIMEDOUT 10.0.0.7:5432');
  return new Error('payment failed', { cause });
}

export const VARIANTS: Readonly<Record<string, Variant>> = {
  attrs3: {
    name: 'attrs3',
    title: 'message + 3 attributes, child logger with 1 binding',
    message: 'order placed',
    attrs: (i) => ({ orderId: i, sku: 'SKU-1234', qty: 3 }),
  },
  message: {
    name: 'message',
    title: 'message only',
    message: 'request handled',
    attrs: undefined,
  },
  attrs10: {
    name: 'attrs10',
    title: 'message + 10 attributes',
    message: 'request handled',
    attrs: (i) => ({
      method: 'GET', path: '/api/orders', status: 200, durationMs: 12.5, bytes: 5120 + i,
      userId: 'u-42', tenant: 'acme', cached: false, region: 'eu-west-1', attempt: 1,
    }),
  },
  nested: {
    name: 'nested',
    title: 'nested object attribute',
    message: 'order placed',
    attrs: (i) => ({
      order: {
        id: i,
        items: [{ sku: 'SKU-1', qty: 1, price: 9.99 }, { sku: 'SKU-2', qty: 2, price: 4.5 }],
        customer: { id: 'c-17', tier: 'gold', address: { city: 'Lyon', country: 'FR' } },
      },
    }),
  },
  long: {
    name: 'long',
    title: '2,000-character string attribute',
    message: 'payload received',
    attrs: () => ({ payload: LONG }),
  },
  error: {
    name: 'error',
    title: 'error with a cause',
    message: 'payment failed',
    attrs: undefined,
    error: paymentError(),
  },
};
