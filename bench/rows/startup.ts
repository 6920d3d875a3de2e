// Row 6: start-up. Wall time of `leakhunt --version` and `leakhunt watch -- true` against a bare
// `node -e 0`, interleaved; and, to explain a gap, what loading the CLI's modules costs on its own,
// and what the allocator re-execution costs where Node has process.execve (allocator-tuning.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, ROOT } from '../lib/processes.js';
import { fmt, median, monotonicMs } from '../lib/stats.js';
import type { RowResult } from '../lib/table.js';
import { OWN_TUNABLES, processExecve } from '../../src/allocator-tuning.js';

const RUNS = 20;
/** Target (issue 8): leakhunt starts within 1.5× the time of bare node. */
const STARTUP_RATIO_TARGET = 1.5;

/** Loading, without running: what the entry's static imports and each command's module cost. */
const importOnly = (module: string): string[] => ['--input-type=module', '-e', `await import(${JSON.stringify(join(ROOT, module))})`];

interface Command {
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** The caller's own threshold, the same as leakhunt would set: the same allocator, minus the re-execution. */
const NOT_REEXECUTED = 'leakhunt watch -- true, not re-executed';

const COMMANDS: Record<string, Command> = {
  'node -e 0': { args: ['-e', '0'] },
  'leakhunt --version': { args: [BIN, '--version'] },
  'leakhunt watch -- true': { args: [BIN, 'watch', '--', 'true'] },
  ...(processExecve() ? { [NOT_REEXECUTED]: { args: [BIN, 'watch', '--', 'true'], env: { GLIBC_TUNABLES: OWN_TUNABLES } } } : {}),
  'import commander': { args: ['--input-type=module', '-e', "await import('commander')"] },
  'import commands/watch.js': { args: importOnly('dist/src/commands/watch.js') },
};

export async function startUp(): Promise<RowResult> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(COMMANDS).map((c) => [c, []]));
  for (let run = -1; run < RUNS; run++) {
    for (const [label, { args, env }] of Object.entries(COMMANDS)) {
      const start = monotonicMs();
      const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 30_000 });
      const ms = monotonicMs() - start;
      if (result.status !== 0) throw new Error(`${label} exited with ${result.status ?? result.signal}`);
      if (run >= 0) times[label]!.push(ms); // the first round warms the page cache
    }
  }
  const ms = Object.fromEntries(Object.entries(times).map(([label, t]) => [label, median(t)]));
  const node = ms['node -e 0']!;
  const lines = ['leakhunt --version', 'leakhunt watch -- true'].map((label) => {
    const ratio = ms[label]! / node;
    const met = ratio <= STARTUP_RATIO_TARGET;
    return {
      row: 6,
      what: `start-up, \`${label}\``,
      measured: `${fmt(ms[label]!)} ms vs node -e 0 ${fmt(node)} ms (${fmt(ratio, 2)}×)`,
      target: `≤ ${STARTUP_RATIO_TARGET}× bare node`,
      met,
      ...(met ? {} : { why: explain(label, ms) }),
    };
  });
  return {
    lines,
    details: [
      {
        title: `Start-up (median wall ms of ${RUNS} interleaved runs)`,
        header: ['command', 'ms', '× node -e 0'],
        rows: Object.entries(ms).map(([label, m]) => [label, fmt(m), fmt(m / node, 2)]),
        notes: [
          'The import rows only load modules (no command runs): `import commander` is the parser every invocation loads; `import commands/watch.js` is everything `watch` loads before it starts the worker.',
          processExecve()
            ? `On this Node, \`watch\` and \`compare\` re-execute themselves once to tune their allocator; \`${NOT_REEXECUTED}\` is the same run with the caller's own GLIBC_TUNABLES, which skips that.`
            : `Node ${process.version} has no process.execve, so \`watch\` runs without re-executing itself (on Node 22.15 and later it re-executes once to tune its allocator).`,
        ],
      },
    ],
  };
}

function explain(label: string, ms: Record<string, number>): string {
  const node = ms['node -e 0']!;
  const commander = ms['import commander']! - node;
  const version = ms['leakhunt --version']! - node;
  if (label === 'leakhunt --version') {
    const rest = Math.max(0, version - commander);
    return `It costs ${fmt(version)} ms above bare node. Loading commander alone takes ${fmt(commander)} ms above bare node, which leaves ${fmt(rest)} ms for leakhunt's own entry and the output: the parser every invocation needs is ${commander >= version ? 'all' : 'most'} of it.`;
  }
  const watchModules = ms['import commands/watch.js']! - node;
  const session = ms[label]! - ms['leakhunt --version']!;
  const reexec = ms[NOT_REEXECUTED] === undefined ? '' : ` Of it, ${fmt(ms[label]! - ms[NOT_REEXECUTED])} ms is the allocator re-execution (one more Node start-up).`;
  return `Above \`--version\` it costs ${fmt(session)} ms: loading the watch command's modules (sampler, runner, detector, renderers) takes ${fmt(watchModules)} ms on its own, and the rest is the run itself (the FIFO channel is made with one \`mkfifo\` spawn, the worker is spawned, sampled at start and exit, and summarised).${reexec}`;
}
