// The command line: commander parses, a command function runs with a typed options object and
// returns an exit code, and this file alone turns errors and codes into the process's exit.
import { Command, CommanderError, Option } from 'commander';
import { isKnownError } from './errors.js';
import { VERSION } from './version.js';

const program = new Command()
  .name('leakhunt')
  .description('Hunt memory leaks in long-running workers: sample the whole process tree, judge growth per task and per hour, and show what subprocess isolation changes.')
  .version(VERSION, '-V, --version')
  .enablePositionalOptions()
  .showSuggestionAfterError()
  .exitOverride()
  // One line, in the same "leakhunt: ..." form as every other error: commander starts its own with
  // "error: " and puts its "(Did you mean ...?)" on a line of its own.
  .configureOutput({ outputError: (text, write) => write(`leakhunt: ${text.trim().replace(/^error: /, '').split('\n').join(' ')}\n`) });

/** A long watch or compare holds its own memory still (see heap-keeper.ts). */
async function keepOwnHeapCollected(): Promise<void> {
  const { keepProcessHeapCollected } = await import('./heap-keeper.js');
  keepProcessHeapCollected();
}

/** Options shared by watch and compare. */
function outputOptions(command: Command): Command {
  return command
    .option('--csv <file>', 'stream samples to a CSV file (per-task rows go to <file>.tasks.csv)')
    .option('--json <file>', 'write the leakhunt/report@1 JSON report')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--md <file>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)')
    .addOption(new Option('--fail-on <verdict>', 'exit 1 when the verdict is at least this bad').choices(['leak', 'suspect']))
    .option('--limit <size>', 'memory limit for projections, e.g. 512MB (default: the cgroup limit)')
    .addOption(new Option('--metric <name>', 'what the verdict and charts judge: rss; pss|uss the tree\'s PSS or USS (smaps_rollup, Linux: forked pools, where summed RSS counts shared pages once per process); heap the worker\'s heap after GC when it reports one').choices(['rss', 'pss', 'uss', 'heap']).default('rss'))
    .option('--no-children', 'sample the root process only, not its descendants')
    .option('-q, --quiet', 'no live status and no summary')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)');
}

// Each command's definition, added to the program on demand: a run of one command defines only that
// one (commander's option objects for the others are start-up time spent for nothing); help, a
// typo or no command at all define every one, so help lists them and suggestions still work.
const COMMANDS: Record<string, () => void> = {
  watch: defineWatch,
  compare: defineCompare,
  report: defineReport,
  helper: defineHelper,
};

function defineWatch(): void {
  outputOptions(
    program
      .command('watch')
      .description('wrap a worker (or attach to one) and record the memory of its whole process tree')
      .usage('[options] -- <command> [args...]\n       leakhunt watch [options] --pid <pid>')
      .argument('[command...]', 'the worker and its arguments, after --')
      .passThroughOptions()
      .option('--pid <pid>', 'attach to a running process and its descendants (never signalled)')
      .option('-i, --interval <duration>', 'sampling interval, e.g. 100ms, 1s', '1s')
      .option('-d, --duration <duration>', 'stop the worker after this long (TERM, then KILL after --kill-after)')
      .option('--kill-after <duration>', 'grace period between TERM and KILL', '10s')
      .option('--task-start <regex>', 'a worker output line that starts a task (named groups: task, name)')
      .option('--task-end <regex>', 'a worker output line that ends a task')
      .option('--tasks <N|file.jsonl>', 'feed tasks to the worker\'s stdin in lockstep')
      .option('--load <command>', 'once the worker is up, run this command (split as a shell would, run without one); when it exits, stop the worker and end the run')
      .option('--task-timeout <duration>', 'stop the worker when one task takes longer than this')
      .option('--instrument', 'task boundaries from Celery, RQ or BullMQ themselves, with no change to the worker')
      .option('--no-node-heap', 'do not preload leakhunt\'s heap agent into the worker\'s Node processes (it adds the heap after a full GC to end lines they write to the channel without one)')
      .addOption(new Option('--stop-on <verdict>', 'end the run early once the verdict is firm').choices(['leak']))
      .option('--metrics <host:port>', 'serve Prometheus metrics at /metrics while running (loopback by default)')
      .option('--allocations', 'record which allocation sites keep memory across repeats, per task type (needs the helper or --instrument)')
      .option('--allocation-frames <N>', 'stack frames kept per allocation with --allocations (default 16)'),
  ).action(async (command: string[], options) => {
    const { watchCommand } = await import('./commands/watch.js');
    await keepOwnHeapCollected();
    process.exitCode = await watchCommand(command, options);
  });
}

function defineCompare(): void {
  outputOptions(
    program
      .command('compare')
      .description('rerun one workload in-process and isolated, or compare two recorded runs')
      .usage('[options] --tasks <N|file.jsonl> -- <command> [args...]\n       leakhunt compare [options] <before> <after>')
      .argument('[command...]', 'the worker after --, or two recorded reports')
      .passThroughOptions()
      .option('--tasks <N|file.jsonl>', 'the task stream every mode runs')
      .option('--modes <list>', 'in-process,isolated,recycle:N,fork', 'in-process,isolated')
      .option('--load <command>', 'with --variant: the command that drives each variant\'s worker (split as a shell would, run without one)')
      .option('--variant <name=command>', 'a worker configuration to run the load against, as a mode of that name (repeat; the first is the baseline)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
      .option('--isolating <names>', 'the variants that isolate tasks (default: those named isolated, fork or recycle:N)')
      .option('-i, --interval <duration>', 'sampling interval', '200ms')
      .option('--kill-after <duration>', 'grace period between TERM and KILL', '5s')
      .option('--task-timeout <duration>', 'kill a task that takes longer than this', '60s')
      .option('--no-spare', 'isolated modes: do not keep a warm worker started ahead of time')
      .option('--instrument', 'task boundaries from Celery, RQ or BullMQ themselves, with no change to the worker')
      .option('--no-node-heap', 'do not preload leakhunt\'s heap agent into the workers\' Node processes')
      .option('--max-growth <size|%>', 'before/after: fail when the after-run grows faster than this per task, or its peak rises more than this')
      .option('--allocations', 'in-process mode: record which allocation sites keep memory across repeats, per task type')
      .option('--allocation-frames <N>', 'stack frames kept per allocation with --allocations (default 16)'),
  ).action(async (args: string[], options, command: Command) => {
    const { compareCommand } = await import('./commands/compare.js');
    await keepOwnHeapCollected();
    process.exitCode = await compareCommand(args, { ...options, modesGiven: command.getOptionValueSource('modes') === 'cli' }, command.args.length > 0 && process.argv.includes('--'));
  });
}

function defineReport(): void {
  program
    .command('report')
    .description('re-render a recorded run (JSON or CSV); with no flags, print the summary')
    .argument('<file>', 'a run.json or run.csv written by leakhunt')
    .option('--csv <file>', 'write samples as CSV')
    .option('--json <file>', 'write the JSON report')
    .option('--html <file>', 'write the HTML report')
    .option('--md <file>', 'write a Markdown summary')
    .option('--no-color', 'no colours')
    .action(async (file: string, options) => {
      const { reportCommand } = await import('./commands/report.js');
      process.exitCode = await reportCommand(file, options);
    });
}

function defineHelper(): void {
  program
    .command('helper')
    .description('print the path of a worker helper (python), for PYTHONPATH or import')
    .argument('<language>', 'python')
    .action(async (language: string) => {
      const { helperCommand } = await import('./commands/helper.js');
      process.exitCode = helperCommand(language);
    });
}

const asked = COMMANDS[process.argv[2] ?? ''];
const wantsHelp = process.argv.includes('--help') || process.argv.includes('-h');
if (asked && !wantsHelp) asked();
else for (const define of Object.values(COMMANDS)) define();

// No top-level await: the bundle is CommonJS (see scripts/bundle.mjs), which has none.
program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Help and --version exit 0; every usage error is exit 2 (DESIGN: bad usage).
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (isKnownError(error)) {
    process.stderr.write(`leakhunt: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    // A bug: rethrown, it ends the process as an unhandled rejection, stack and exit 1.
    throw error;
  }
});
