import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { errorType, isError } from '../../src/values/error-type.ts';
import { toExceptionInfo } from '../../src/values/exception.ts';
import { jsonValue } from '../../src/values/json.ts';
import { toAnyValue } from '../../src/values/any-value.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';
import { createJsonEncoder } from '../../src/encoders/json.ts';
import { createRedactor } from '../../src/redact/redactor.ts';
import { makeRecord } from '../encoders/record-fixture.ts';

class HttpError extends Error {}

function validationError(message = 'age must be a number'): Error {
  const error = new Error(message);
  error.name = 'ValidationError';
  return error;
}

describe('errorType()', () => {
  it('names a subclass by its class, whatever its name says', () => {
    const error = new HttpError('x');
    error.name = 'Other';
    assert.equal(errorType(error), 'HttpError');
    assert.equal(errorType(new TypeError('x')), 'TypeError');
  });

  it('names a plain Error or DOMException by its name when one was set', () => {
    assert.equal(errorType(validationError()), 'ValidationError');
    assert.equal(errorType(new Error('x')), 'Error');
    assert.equal(errorType(new DOMException('x', 'AbortError')), 'AbortError');
  });

  it('names classless and unreadable errors without throwing', () => {
    assert.equal(errorType(Object.assign(Object.create(null), { name: 'Bare' })), 'Bare');
    assert.equal(errorType(Object.create(null)), 'Error');
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'name', { get(): never { throw new Error('getter'); } });
    assert.equal(errorType(hostile), 'Error');
  });

  it('knows errors of another realm', () => {
    const foreign = runInNewContext('new RangeError("x")') as unknown;
    assert.equal(isError(foreign), true);
    assert.equal(errorType(foreign as object), 'RangeError');
  });
});

describe('one error name everywhere', () => {
  it('gives a ValidationError the same type as the exception and inside attributes (JSON line)', () => {
    const error = validationError();
    const line = createJsonEncoder()(makeRecord({ exception: toExceptionInfo(error), attributes: { cause: error, list: [error] } }));
    const parsed = JSON.parse(line) as Record<string, any>;
    assert.equal(parsed['exception.type'], 'ValidationError');
    assert.equal(parsed.cause.type, 'ValidationError');
    assert.equal(parsed.list[0].type, 'ValidationError');
  });

  it('gives it the same type in OTLP AnyValue and in plain JSON text', () => {
    const error = validationError();
    assert.equal((toAnyValue({ error }, DEFAULT_LIMITS) as any).error.type, 'ValidationError');
    assert.equal(JSON.parse(jsonValue(error, DEFAULT_LIMITS)!).type, 'ValidationError');
  });

  it('keeps the name when redaction rewrites an Error inside attributes', () => {
    const out = createRedactor().redactAttributes({ error: validationError('sent Authorization: Bearer abcdefghijklmnop1234') });
    const redacted = out.error as { type: string; message: string };
    assert.equal(redacted.type, 'ValidationError');
    assert.doesNotMatch(redacted.message, /abcdefghijklmnop1234/);
  });
});
