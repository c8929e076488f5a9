import assert from 'node:assert/strict';
import { isSignalClaimed, onSignal } from '../../src/lifecycle/signal-hooks.ts';

describe('onSignal()', () => {
  it('runs every claim on delivery and removes its listener with the last release', () => {
    const before = process.listenerCount('SIGUSR2');
    const calls: string[] = [];
    const releaseA = onSignal('SIGUSR2', () => calls.push('a'));
    const releaseB = onSignal('SIGUSR2', () => calls.push('b'));
    assert.equal(process.listenerCount('SIGUSR2'), before + 1);
    assert.ok(isSignalClaimed('SIGUSR2'));
    process.emit('SIGUSR2', 'SIGUSR2');
    assert.deepEqual(calls, ['a', 'b']);
    releaseA();
    releaseA(); // idempotent
    assert.ok(isSignalClaimed('SIGUSR2'));
    releaseB();
    assert.equal(isSignalClaimed('SIGUSR2'), false);
    assert.equal(process.listenerCount('SIGUSR2'), before);
  });

  it('reports a handler that throws instead of throwing, and still runs the others', async () => {
    const { setDiagnosticSink } = await import('../../src/core/diagnostics.ts');
    const lines: string[] = [];
    setDiagnosticSink((line) => lines.push(line));
    let ran = false;
    const r1 = onSignal('SIGUSR2', () => { throw new Error('boom'); });
    const r2 = onSignal('SIGUSR2', () => { ran = true; });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
    } finally {
      r1();
      r2();
      setDiagnosticSink(undefined);
    }
    assert.ok(ran);
    assert.match(lines.join(''), /SIGNAL_HANDLER_FAILED: a SIGUSR2 handler threw \(Error: boom\)/);
  });
});
