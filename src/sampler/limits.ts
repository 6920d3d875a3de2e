// The memory limit the worker runs under, for projections ("reaches the limit in 3 h"): the cgroup's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryLimit } from '../model.js';

export interface MemoryLimitOptions {
  procRoot?: string;
  cgroupRoot?: string;
  /** Whose cgroup: leakhunt's own by default, which its workers inherit. */
  pid?: number | 'self';
}

/**
 * cgroup v1 writes "no limit" as a huge number (9223372036854771712 = LONG_MAX rounded to pages).
 * Anything from 2^60 bytes up is that, not a limit.
 */
const NO_LIMIT_FROM_BYTES = 2 ** 60;

/**
 * The tightest memory limit over the cgroup and its ancestors (a parent's limit binds its children
 * too), or null when there is none. A limit at or above physical RAM is ignored: memory runs out
 * before it is reached, so projecting to it would mislead.
 */
export function readMemoryLimit(options: MemoryLimitOptions = {}): MemoryLimit | null {
  const procRoot = options.procRoot ?? '/proc';
  const cgroupRoot = options.cgroupRoot ?? '/sys/fs/cgroup';
  const membership = readText(join(procRoot, String(options.pid ?? 'self'), 'cgroup'));
  if (membership === null) return null;
  const physical = memTotalBytes(readText(join(procRoot, 'meminfo')));
  const isLimit = (bytes: number): boolean => bytes < NO_LIMIT_FROM_BYTES && (physical === null || bytes < physical);
  const lines = membership.split('\n').map(parseCgroupLine).filter((line) => line !== null);
  // A controller lives on one hierarchy only: with a v1 memory line (hybrid hosts too), v2 has no say.
  const v1 = lines.find((line) => line.controllers.includes('memory'));
  if (v1) return tightest(join(cgroupRoot, 'memory'), v1.path, 'memory.limit_in_bytes', isLimit, 'cgroup-v1');
  const v2 = lines.find((line) => line.id === '0' && line.controllers.length === 0);
  if (v2) return tightest(cgroupRoot, v2.path, 'memory.max', isLimit, 'cgroup-v2');
  return null;
}

interface CgroupLine {
  id: string;
  controllers: string[];
  path: string;
}

/** "4:memory:/docker/abc" or "0::/user.slice"; the path may itself hold ':'. */
function parseCgroupLine(line: string): CgroupLine | null {
  const first = line.indexOf(':');
  const second = line.indexOf(':', first + 1);
  if (first < 0 || second < 0) return null;
  const controllers = line.slice(first + 1, second);
  return { id: line.slice(0, first), controllers: controllers ? controllers.split(',') : [], path: line.slice(second + 1) };
}

/**
 * Reads `file` in the cgroup's directory and every ancestor up to the mount. Directories that do not
 * exist are skipped: inside a container the path names the host's hierarchy while the mount shows
 * the container's own cgroup at its root.
 */
function tightest(
  mount: string,
  path: string,
  file: string,
  isLimit: (bytes: number) => boolean,
  source: MemoryLimit['source'],
): MemoryLimit | null {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  let best: number | null = null;
  for (let depth = segments.length; depth >= 0; depth--) {
    const text = readText(join(mount, ...segments.slice(0, depth), file))?.trim();
    if (!text || !/^\d+$/.test(text)) continue; // "max" (v2) or absent
    const bytes = Number(text);
    if (isLimit(bytes) && (best === null || bytes < best)) best = bytes;
  }
  return best === null ? null : { bytes: best, source };
}

function memTotalBytes(meminfo: string | null): number | null {
  const match = meminfo && /^MemTotal:\s+(\d+)\s+kB/m.exec(meminfo);
  return match ? Number(match[1]) * 1024 : null;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
