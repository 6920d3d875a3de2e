// Row 6: start-up. Wall time of `leakhunt --version` and `leakhunt watch -- true` against a bare
// `node -e 0`, interleaved; and, to explain a gap, what loading the CLI's modules costs on its own,
// and what the allocator re-execution costs where Node has process.execve (allocator-tuning.ts).
import { spawnSync } from 'node:child_process';
import { BIN, ROOT } from '../lib/processes.js';
import { fmt, median, monotonicMs } from '../lib/stats.js';
import type { RowResult } from '../lib/table.js';
import { OWN_TUNABLES, processExecve } from '../../src/allocator-tuning.js';

const RUNS = 20;
/** Targets (issue 25): `--version` within 1.2× the time of bare node, `watch -- true` within 1.5×. */
const STARTUP_RATIO_TARGET: Record<string, number> = { 'leakhunt --version': 1.2, 'leakhunt watch -- true': 1.5 };


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
  'import the bundled CLI\'s dependencies (commander, chalk)': { args: ['--input-type=module', '-e', "await import('commander'); await import('chalk')"] },
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
  // Each round ran every command once in turn: the ratio is the median of the rounds' ratios.
  const pairedRatio = (label: string): number => median(times[label]!.map((t, i) => t / times['node -e 0']![i]!));
  const lines = ['leakhunt --version', 'leakhunt watch -- true'].map((label) => {
    const ratio = pairedRatio(label);
    const met = ratio <= STARTUP_RATIO_TARGET[label]!;
    return {
      row: 6,
      what: `start-up, \`${label}\``,
      measured: `${fmt(ms[label]!)} ms vs node -e 0 ${fmt(node)} ms (${fmt(ratio, 3)}×)`,
      target: `≤ ${STARTUP_RATIO_TARGET[label]}× bare node`,
      met,
      ...(met ? {} : { why: explain(label, ms) }),
    };
  });
  return {
    lines,
    details: [
      {
        title: `Start-up (median wall ms of ${RUNS} interleaved rounds)`,
        header: ['command', 'ms', '× node -e 0 (median of the rounds\' ratios)'],
        rows: Object.entries(ms).map(([label, m]) => [label, fmt(m), fmt(pairedRatio(label), 3)]),
        notes: [
          '`--version` is answered by the entry (dist/cli/main.cjs, CommonJS: no ESM loader) before anything else loads. Every other command runs the CLI bundled into one CommonJS file (dist/cli/cli.cjs, by esbuild in `npm run build`), commander and chalk included, compiled on Node 20 from the V8 code cache the build writes beside it (Node 22.1+: Node\'s own compile cache). The last row loads those two dependencies alone, from node_modules, for scale.',
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
  const above = ms[label]! - node;
  if (label === 'leakhunt --version') {
    return `It costs ${fmt(above)} ms above bare node: loading the bin and its entry (two CommonJS files; bare node evaluates a string) and reading package.json.`;
  }
  const session = ms[label]! - ms['leakhunt --version']!;
  const reexec = ms[NOT_REEXECUTED] === undefined ? '' : ` Of it, ${fmt(ms[label]! - ms[NOT_REEXECUTED])} ms is the allocator re-execution (one more Node start-up).`;
  return `Above \`--version\` it costs ${fmt(session)} ms: loading the bundled CLI (~370 KB, from its code cache) with commander and the Node built-ins a run needs (child_process, net, v8), the run itself (the watchdog shell is spawned and makes the FIFO channel, the worker is spawned and its tree read at start and exit), and the summary. Each spawn forks the whole Node process and waits for the child's exec: on a loaded machine that wait is a scheduling delay.${reexec}`;
}
