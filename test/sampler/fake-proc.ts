// A private copy of fixtures/fake-proc per test, and a file layer that can inject the faults a
// real /proc produces. Root ignores file modes, so EACCES is injected here rather than by chmod.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../helpers/paths.js';
import { nodeProcFs, type ProcFs } from '../../src/sampler/proc-fs.js';
import { createLinuxProcSampler } from '../../src/sampler/linux-proc.js';
import type { MetricName } from '../../src/model.js';

export interface FakeProc {
  root: string;
  /** Replaces fields of a process's stat line, by stat(5) field number (3 = state, 4 = ppid, 22 = start). */
  editStat(pid: number, fields: Record<number, string | number>): void;
  remove(pid: number): void;
  cleanup(): void;
}

export function fakeProc(): FakeProc {
  const root = mkdtempSync(join(tmpdir(), 'leakhunt-fake-proc-'));
  cpSync(fixture('fake-proc'), root, { recursive: true });
  return {
    root,
    editStat(pid, fields) {
      const path = join(root, String(pid), 'stat');
      const line = readFileSync(path, 'utf8').trimEnd();
      const close = line.lastIndexOf(')');
      const tail = line.slice(close + 2).split(' ');
      for (const [field, value] of Object.entries(fields)) tail[Number(field) - 3] = String(value);
      writeFileSync(path, `${line.slice(0, close + 2)}${tail.join(' ')}\n`);
    },
    remove: (pid) => rmSync(join(root, String(pid)), { recursive: true, force: true }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface FaultyFs extends ProcFs {
  /** Paths opened (or counted) since the last reset. */
  opened: string[];
  /** Paths ending with one of these fail with that errno code. */
  failures: Map<string, string>;
  /** Runs once, right after the next listing of the proc root. */
  afterNextList: (() => void) | null;
  /** Runs before every open, to change the tree at a precise moment. */
  beforeOpen: ((path: string) => void) | null;
  /**
   * The process at pid exits: descriptors open on it now answer ESRCH, as procfs's do, while a
   * fresh open reads whoever holds the pid next (edit its stat for that).
   */
  markExited(pid: number): void;
}

/** keepsDescriptors: act as procfs, where kept descriptors tell a gone process from a reused pid. */
export function faultyFs(procRoot: string, options: { keepsDescriptors?: boolean } = {}): FaultyFs {
  const real = nodeProcFs(procRoot);
  const pidOfDescriptor = new Map<number, number>();
  const stale = new Set<number>();
  const fail = (path: string): void => {
    for (const [suffix, code] of faulty.failures) {
      if (path.endsWith(suffix)) throw Object.assign(new Error(`${code}: ${path}`), { code });
    }
  };
  const faulty: FaultyFs = {
    ...real,
    opened: [],
    failures: new Map(),
    afterNextList: null,
    beforeOpen: null,
    list(path) {
      const names = real.list(path);
      const hook = faulty.afterNextList;
      faulty.afterNextList = null;
      hook?.();
      return names;
    },
    markExited(pid) {
      for (const [fd, owner] of pidOfDescriptor) if (owner === pid) stale.add(fd);
    },
    keepsDescriptors: options.keepsDescriptors ?? real.keepsDescriptors,
    open(path) {
      faulty.opened.push(path);
      faulty.beforeOpen?.(path);
      fail(path);
      const fd = real.open(path);
      pidOfDescriptor.set(fd, Number(path.slice(procRoot.length + 1).split('/')[0]));
      return fd;
    },
    readAt(fd, buf) {
      if (stale.has(fd)) throw Object.assign(new Error('ESRCH: kept descriptor'), { code: 'ESRCH' });
      return real.readAt(fd, buf);
    },
    close(fd) {
      pidOfDescriptor.delete(fd);
      stale.delete(fd);
      real.close(fd);
    },
    countEntries(path) {
      faulty.opened.push(path);
      fail(path);
      return real.countEntries(path);
    },
  };
  return faulty;
}

export function fakeSampler(procRoot: string, options: { children?: boolean; metric?: MetricName; fs?: ProcFs } = {}) {
  return createLinuxProcSampler({
    rootPid: 100,
    children: options.children ?? true,
    metric: options.metric ?? 'rss',
    procRoot,
    pageSize: 4096,
    ...(options.fs ? { fs: options.fs } : {}),
  });
}
