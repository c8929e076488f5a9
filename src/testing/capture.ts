import { MemorySink } from '../sinks/memory.ts';
import { setLevel } from '../configure.ts';
import { runtime } from '../core/runtime.ts';

/**
 * Runs `fn` (sync or async) with every record going to a fresh MemorySink
 * instead of the configured sinks, then restores them. Level rules are left
 * as they are; pass `level` to change them for the duration.
 */
export async function captureLogs(fn: () => unknown, options: { level?: string } = {}): Promise<MemorySink> {
  runtime.ensureConfigured();
  const sink = new MemorySink();
  const previousLevel = runtime.levelRules;
  if (options.level !== undefined) setLevel(options.level);
  const [sinks, processors] = runtime.pipeline.swap([sink], runtime.pipeline.processors);
  try {
    await fn();
  } finally {
    runtime.pipeline.swap(sinks, processors);
    runtime.setLevelRules(previousLevel);
  }
  return sink;
}
