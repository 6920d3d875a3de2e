// The house stays in order: no import circles in src/, and no import against the dependency
// direction (cli → commands → runner, sampler, protocol, detect, report, render → model). A plain
// scan of import statements; the rules below are the brief's, each with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT } from './helpers/paths.js';
import { forbiddenImports, importCircles, importSpecifiers, scanSource, type DirectionRule } from './helpers/imports.js';

const IO = ['fs', 'fs/promises', 'child_process', 'chalk'];
const TERMINAL_AND_RUNNING = ['render', 'runner', 'commands', 'files', 'cli', 'main', 'index'];

const RULES: DirectionRule[] = [
  {
    areas: ['detect', 'report'],
    never: [...TERMINAL_AND_RUNNING, ...IO],
    why: 'analysis and writers are pure: data in, text out; no terminal, runner, files or colours',
  },
  {
    areas: ['format', 'series'],
    never: ['detect', 'report', 'sampler', 'protocol', ...TERMINAL_AND_RUNNING, ...IO],
    why: 'shared words and series utilities sit below everything that uses them',
  },
  { areas: ['runner'], never: ['detect', 'report', 'render', 'commands', 'cli', 'main'], why: 'the runner records; judging and showing come after it' },
  {
    areas: ['sampler', 'protocol', 'metrics'],
    never: ['runner', 'detect', 'report', 'render', 'commands', 'cli', 'main'],
    why: 'sources of data know nothing of what consumes them',
  },
  {
    areas: ['model', 'units', 'errors'],
    never: ['commands', 'runner', 'sampler', 'protocol', 'detect', 'report', 'render', 'format', 'series', 'files', 'metrics'],
    why: 'the model is the floor every layer stands on',
  },
];

test('the import scan reads static, type-only, re-exported, multi-line and dynamic imports', () => {
  const text = [
    "import { a } from './a.js';",
    "import type { B,\n  C } from '../b.js';",
    "export * from './c.js';",
    "export { d } from './d.js';",
    "const e = await import('./e.js');",
    "import './f.js';",
    "const note = 'these come from somewhere';",
  ].join('\n');
  assert.deepEqual(importSpecifiers(text), ['./a.js', '../b.js', './c.js', './d.js', './e.js', './f.js']);
});

test('a circle and a forbidden direction are both caught on a made-up graph', () => {
  const edges = [
    { from: 'src/report/md.ts', to: 'src/report/md-recorded.ts' },
    { from: 'src/report/md-recorded.ts', to: 'src/report/md.ts' },
    { from: 'src/report/md.ts', to: 'src/render/text.ts' },
    { from: 'src/runner/ticker.ts', to: 'src/detect/decimate.ts' },
    { from: 'src/report/load.ts', to: 'node:fs' },
    { from: 'src/render/text.ts', to: 'src/model.ts' },
  ];
  assert.deepEqual(importCircles(edges), [['src/report/md-recorded.ts', 'src/report/md.ts']]);
  assert.equal(forbiddenImports(edges, RULES).length, 3);
});

test('src/ has no import circle', () => {
  const edges = scanSource(ROOT);
  // The scan must see the real graph, or an empty scan would pass.
  assert.ok(edges.length > 300, `only ${edges.length} imports found`);
  assert.ok(edges.some((e) => e.from === 'src/cli.ts' && e.to === 'commander'));
  assert.deepEqual(importCircles(edges), []);
});

test('src/ imports only in the dependency direction', () => {
  assert.deepEqual(forbiddenImports(scanSource(ROOT), RULES), []);
});

test('the worker helper loads nothing of leakhunt but itself (it runs inside users\' workers)', () => {
  const outside = scanSource(ROOT).filter((e) => e.from.startsWith('src/worker/') && e.to.startsWith('src/') && !e.to.startsWith('src/worker/'));
  assert.deepEqual(outside, []);
});
