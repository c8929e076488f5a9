/**
 * Redaction paths (`user.*.ssn`, `headers.authorization`) compiled to a trie
 * of lower-case segments, `*` matching any one key or array index. A key that
 * contains dots advances through several segments, so a flat
 * `headers.authorization` attribute and the nested form match alike.
 */

/** One node of the compiled path trie. */
export interface PathNode {
  readonly children: Map<string, PathNode>;
  star: PathNode | undefined;
  terminal: boolean;
}

/** No path is being followed. */
export const NO_STATES: readonly PathNode[] = Object.freeze([]);

/** Compiles `paths`; `undefined` when there are none. Throws a TypeError for an empty path. */
export function compilePaths(paths: readonly string[]): PathNode | undefined {
  if (!Array.isArray(paths) || paths.length === 0) return undefined;
  const root = newNode();
  for (const path of paths) {
    if (typeof path !== 'string' || path.trim() === '') throw new TypeError('paths must be non-empty strings');
    let node = root;
    for (const segment of path.trim().toLowerCase().split('.')) {
      if (segment === '*') node = node.star ??= newNode();
      else {
        let child = node.children.get(segment);
        if (child === undefined) node.children.set(segment, child = newNode());
        node = child;
      }
    }
    node.terminal = true;
  }
  return root;
}

function newNode(): PathNode {
  return { children: new Map(), star: undefined, terminal: false };
}

export const MATCHED = Symbol('matched');

/**
 * The trie nodes reached from `states` through `key`, whose dots separate
 * segments, or MATCHED when a whole path ends on the way.
 */
export function advance(states: readonly PathNode[], key: string): readonly PathNode[] | typeof MATCHED {
  let current = states;
  for (const segment of key.toLowerCase().split('.')) {
    const next: PathNode[] = [];
    for (const node of current) {
      const child = node.children.get(segment);
      if (child !== undefined) next.push(child);
      if (node.star !== undefined) next.push(node.star);
    }
    if (next.length === 0) return NO_STATES;
    if (next.some((n) => n.terminal)) return MATCHED;
    current = next;
  }
  return current;
}
