import assert from 'node:assert/strict';
import { addExitTask, exitTaskCount, runExitTasks } from '../../src/core/exit-tasks.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';

describe('exit tasks', () => {
  afterEach(() => setDiagnosticSink(undefined));

  it('runs every task once, in order, and goes on past one that throws (reported)', () => {
    const lines: string[] = [];
    setDiagnosticSink((line) => lines.push(line));
    const calls: string[] = [];
    addExitTask(() => calls.push('a'));
    addExitTask(() => {
      throw new Error('boom');
    });
    addExitTask(() => calls.push('c'));
    runExitTasks();
    runExitTasks();
    assert.deepEqual(calls, ['a', 'c']);
    assert.match(lines.join(''), /SINK_FAILED: an exit task threw \(Error: boom\)/);
    assert.equal(exitTaskCount(), 0);
  });

  it('does not run a task that was removed', () => {
    const calls: string[] = [];
    const remove = addExitTask(() => calls.push('removed'));
    assert.equal(exitTaskCount(), 1);
    remove();
    assert.equal(exitTaskCount(), 0);
    runExitTasks();
    assert.deepEqual(calls, []);
  });
});
