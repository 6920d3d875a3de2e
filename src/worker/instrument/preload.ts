// leakhunt --instrument for Node: loaded into every Node process of the worker's tree through
// NODE_OPTIONS (--import). Under leakhunt (LEAKHUNT_CHANNEL set) it watches CommonJS modules as
// they are compiled and wraps BullMQ's classes when BullMQ's own files load; it imports nothing of
// a framework itself. Node resolves `import ... from 'bullmq'` to BullMQ's CommonJS build too
// (its package has no "exports" map), so one hook sees both. Outside leakhunt it does nothing.
import { createRequire } from 'node:module';
import { hookChildProcessorModule, hookWorkerModule } from './bullmq.js';

type ModuleHook = (exports: unknown, filename: string) => void;

/** Files whose exports get a hook, once each file has run. */
const HOOKS: Array<[RegExp, ModuleHook]> = [
  [/[\\/]bullmq[\\/]dist[\\/]cjs[\\/]classes[\\/]worker\.js$/, hookWorkerModule],
  [/[\\/]bullmq[\\/]dist[\\/]cjs[\\/]classes[\\/]child-processor\.js$/, hookChildProcessorModule],
];

interface CompilingModule {
  exports: unknown;
}
interface ModuleClass {
  prototype: { _compile(this: CompilingModule, content: string, filename: string, ...rest: unknown[]): unknown };
}

function hookCommonJs(): void {
  const Module = createRequire(import.meta.url)('node:module') as ModuleClass;
  const compile = Module.prototype._compile;
  if (typeof compile !== 'function') {
    process.stderr.write('leakhunt: --instrument cannot hook this Node (no Module.prototype._compile); the worker runs uninstrumented\n');
    return;
  }
  Module.prototype._compile = function compileAndHook(this: CompilingModule, content: string, filename: string, ...rest: unknown[]): unknown {
    const result = compile.call(this, content, filename, ...rest);
    for (const [pattern, hook] of HOOKS) {
      if (!pattern.test(filename)) continue;
      try {
        hook(this.exports, filename);
      } catch (error) {
        process.stderr.write(`leakhunt: --instrument hook for ${filename} failed (${(error as Error).message}); the worker runs uninstrumented\n`);
      }
    }
    return result;
  };
}

if (process.env.LEAKHUNT_CHANNEL) hookCommonJs();
