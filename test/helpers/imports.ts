// A plain scan of the import statements of src/**/*.ts, for the test that keeps the house in
// order (no import circles, no import against the dependency direction). Reads text only: no
// TypeScript program, so it runs in milliseconds.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';

/** One import: the importing file and what it names (a src path such as 'src/model.ts', or a package). */
export interface ImportEdge {
  from: string;
  to: string;
}

// `import x from '…'`, `import type { A, B } from '…'`, `export * from '…'`, across lines: the
// part before `from` holds only names, braces, commas and stars, so code that merely mentions
// "from" is never taken for an import.
const STATIC = /^\s*(?:import|export)\s+(?:type\s+)?[\w$*\s{},]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^\s*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module specifiers a file's text imports, static and dynamic, in order of appearance. */
export function importSpecifiers(text: string): string[] {
  const found: Array<[number, string]> = [];
  for (const pattern of [STATIC, SIDE_EFFECT, DYNAMIC]) {
    for (const match of text.matchAll(pattern)) found.push([match.index, match[1]!]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, specifier]) => specifier);
}

/** A relative specifier as the src path it names ('./text.js' from src/format/conclusion.ts → src/format/text.ts); others unchanged. */
export function resolveSpecifier(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import of every .ts file under root/src, paths relative to root with forward slashes. */
export function scanSource(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const path of tsFiles(join(root, 'src'))) {
    const from = relative(root, path).split('\\').join('/');
    for (const specifier of importSpecifiers(readFileSync(path, 'utf8'))) {
      edges.push({ from, to: resolveSpecifier(from, specifier) });
    }
  }
  return edges;
}

/** The part of src a file belongs to: its folder ('report'), or its own name for a top-level file ('model'). */
export function areaOf(path: string): string | null {
  const parts = path.split('/');
  if (parts[0] !== 'src') return null;
  return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.ts$/, '');
}

/** Groups of files that import each other in a circle (Tarjan's strongly connected components of two or more files, or one importing itself). */
export function importCircles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!to.startsWith('src/')) continue;
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1 || (next.get(node) ?? []).includes(node)) circles.push(group.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return circles;
}

/** A direction the house forbids: files of these areas never import these areas or modules. */
export interface DirectionRule {
  areas: string[];
  never: string[];
  why: string;
}

/** Each import that breaks a rule, as "from -> to (why)". */
export function forbiddenImports(edges: ImportEdge[], rules: DirectionRule[]): string[] {
  const broken: string[] = [];
  for (const { from, to } of edges) {
    const area = areaOf(from);
    const target = areaOf(to) ?? to.replace(/^node:/, '');
    if (area === null || area === target) continue;
    for (const rule of rules) {
      if (rule.areas.includes(area) && rule.never.includes(target)) broken.push(`${from} -> ${to} (${rule.why})`);
    }
  }
  return broken;
}
