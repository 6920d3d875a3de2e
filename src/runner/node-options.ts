// NODE_OPTIONS with one more preload: how --instrument's hooks and the heap agent reach every Node
// process of a worker's tree (each descendant inherits the variable through shells and forks).

/** `existing` with `--require|--import "<file>"` appended; NODE_OPTIONS splits on spaces outside double quotes, where \ escapes. */
export function withPreload(existing: string | undefined, flag: '--require' | '--import', file: string): string {
  const quoted = `"${file.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return [existing, `${flag} ${quoted}`].filter(Boolean).join(' ');
}
