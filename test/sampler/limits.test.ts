import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readMemoryLimit } from '../../src/sampler/limits.js';

const GiB = 1024 ** 3;
const MEMINFO = `MemTotal:        8388608 kB\nMemFree:         1000000 kB\n`; // 8 GiB

/** A fake /proc and /sys/fs/cgroup from a map of relative path → content. */
function fakeRoots(files: Record<string, string>): { procRoot: string; cgroupRoot: string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'leakhunt-cgroup-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), content);
  }
  return { procRoot: join(base, 'proc'), cgroupRoot: join(base, 'cgroup'), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

function limitOf(files: Record<string, string>, pid?: number) {
  const roots = fakeRoots(files);
  try {
    return readMemoryLimit({ procRoot: roots.procRoot, cgroupRoot: roots.cgroupRoot, ...(pid ? { pid } : {}) });
  } finally {
    roots.cleanup();
  }
}

test('cgroup v2: the tightest memory.max over the cgroup and its ancestors', () => {
  assert.deepEqual(limitOf({
    'proc/self/cgroup': '0::/user.slice/app.service\n',
    'proc/meminfo': MEMINFO,
    'cgroup/user.slice/app.service/memory.max': 'max\n',
    'cgroup/user.slice/memory.max': `${2 * GiB}\n`,
  }), { bytes: 2 * GiB, source: 'cgroup-v2' });
  assert.deepEqual(limitOf({
    'proc/self/cgroup': '0::/user.slice/app.service\n',
    'proc/meminfo': MEMINFO,
    'cgroup/user.slice/app.service/memory.max': `${GiB / 2}\n`,
    'cgroup/user.slice/memory.max': `${2 * GiB}\n`,
  }), { bytes: GiB / 2, source: 'cgroup-v2' });
});

test('cgroup v2: "max" all the way up is no limit', () => {
  assert.equal(limitOf({
    'proc/self/cgroup': '0::/user.slice\n',
    'proc/meminfo': MEMINFO,
    'cgroup/user.slice/memory.max': 'max\n',
  }), null);
});

test('cgroup v2 in a container: the host path is absent, the mount root is the container cgroup', () => {
  assert.deepEqual(limitOf({
    'proc/self/cgroup': '0::/system.slice/docker-abc.scope\n',
    'proc/meminfo': MEMINFO,
    'cgroup/memory.max': '536870912\n',
  }), { bytes: 512 * 1024 ** 2, source: 'cgroup-v2' });
});

test('cgroup v1: memory.limit_in_bytes; the "unlimited" sentinel and limits above RAM are no limit', () => {
  const v1 = (limit: string) => ({
    'proc/self/cgroup': '9:name=systemd:/\n4:memory:/docker/abc\n3:cpuset:/\n0::/\n',
    'proc/meminfo': MEMINFO,
    'cgroup/memory/docker/abc/memory.limit_in_bytes': `${limit}\n`,
    'cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n',
  });
  assert.deepEqual(limitOf(v1('268435456')), { bytes: 256 * 1024 ** 2, source: 'cgroup-v1' });
  assert.equal(limitOf(v1('9223372036854771712')), null);
  assert.equal(limitOf(v1(String(16 * GiB))), null); // above the 8 GiB of RAM
});

test('a hybrid host: the memory controller is on v1, so v2 files are not consulted', () => {
  assert.deepEqual(limitOf({
    'proc/self/cgroup': '4:cpu,memory:/job\n0::/job\n',
    'proc/meminfo': MEMINFO,
    'cgroup/memory/job/memory.limit_in_bytes': `${GiB}\n`,
    'cgroup/job/memory.max': `${GiB / 4}\n`,
  }), { bytes: GiB, source: 'cgroup-v1' });
});

test("another process's cgroup, when asked", () => {
  assert.deepEqual(limitOf({
    'proc/self/cgroup': '0::/\n',
    'proc/4242/cgroup': '0::/worker\n',
    'proc/meminfo': MEMINFO,
    'cgroup/worker/memory.max': `${GiB}\n`,
  }, 4242), { bytes: GiB, source: 'cgroup-v2' });
});

test('no cgroup file, or no meminfo: still a clear answer', () => {
  assert.equal(limitOf({ 'proc/meminfo': MEMINFO }), null);
  assert.deepEqual(limitOf({ 'proc/self/cgroup': '0::/a\n', 'cgroup/a/memory.max': `${GiB}\n` }), { bytes: GiB, source: 'cgroup-v2' });
});

test('on this machine it answers without throwing', () => {
  const limit = readMemoryLimit();
  assert.ok(limit === null || (limit.bytes > 0 && limit.source.startsWith('cgroup')));
});
