import type { CompiledPatterns } from './patterns.ts';
import type { KeyRules } from './keys.ts';
import type { PathNode } from './paths.ts';

/** A member left out in remove mode. */
export const REMOVE = Symbol('remove');

/** What the walk (walk.ts) needs of its redactor's settings. */
export interface WalkSettings {
  readonly keys: KeyRules | undefined;
  readonly root: PathNode | undefined;
  readonly patterns: CompiledPatterns | undefined;
  readonly remove: boolean;
  readonly censor: string;
  readonly depth: number;
  readonly entries: number;
  readonly attributeCount: number;
}
