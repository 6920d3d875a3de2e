import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVariants } from '../../src/commands/variants.js';
import { UsageError } from '../../src/errors.js';

test('each name=command is a mode of that name; the first is the baseline; isolating by name', () => {
  const variants = parseVariants([`solo=celery -A app worker -P solo`, `recycle:1=celery -A app worker --max-tasks-per-child=1 -Q "a b"`, 'fork=rq worker', 'isolated=x'], undefined);
  assert.deepEqual(variants.map((v) => [v.label, v.baseline, v.isolating]), [['solo', true, false], ['recycle:1', false, true], ['fork', false, true], ['isolated', false, true]]);
  assert.deepEqual(variants[1]!.command, ['celery', '-A', 'app', 'worker', '--max-tasks-per-child=1', '-Q', 'a b']);
  // Only the first "=" separates: the command may hold its own.
  assert.deepEqual(parseVariants(['a=env X=1 run'], undefined)[0]!.command, ['env', 'X=1', 'run']);
});

test('--isolating says exactly which variants isolate, overriding the names', () => {
  const variants = parseVariants(['inline=node w.js', 'sandboxed=node w.js --sandbox', 'fork=node w.js --fork'], 'sandboxed');
  assert.deepEqual(variants.map((v) => v.isolating), [false, true, false]);
});

test('bad variants are usage errors naming the problem', () => {
  const cases: Array<[string[], string | undefined, RegExp]> = [
    [['solo'], undefined, /has no "="/],
    [['=node w.js'], undefined, /needs a name/],
    [['a=node w.js', 'a=node v.js'], undefined, /two variants are named "a"/],
    [['a='], undefined, /--variant a: no command given/],
    [["a=node 'w.js"], undefined, /--variant a: unterminated single quote/],
    [['a=node w.js'], 'b', /--isolating: no variant is named "b"/],
  ];
  for (const [raw, isolating, message] of cases) {
    assert.throws(() => parseVariants(raw, isolating), (error: unknown) => error instanceof UsageError && message.test(error.message), String(raw));
  }
});
