// Where the helpers leave their allocation tables under --allocations: a private directory
// (mode 0700, from mkdtemp) named to the worker in LEAKHUNT_ALLOCATIONS, read once the worker has
// gone and then removed. Each helper process writes its own file there, whole (temp, rename).
//
// Why a directory and not the channel: a table of sites with their stacks is far larger than the
// channel's 4096-byte line cap, and nobody needs it before the run ends.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AllocationTable } from '../model.js';
import { parseAllocationTable } from '../protocol/allocation-table.js';

/** A table larger than this is not read: a helper writes at most a few hundred KB. */
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

export interface AllocationsDir {
  /** What the worker's environment gains. */
  env: NodeJS.ProcessEnv;
  /** Every table the helpers wrote; `files` counts what was there, readable or not. */
  read(): { tables: AllocationTable[]; files: number };
  remove(): void;
}

export function openAllocationsDir(frames: number): AllocationsDir {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-allocations-'));
  return {
    env: { LEAKHUNT_ALLOCATIONS: dir, LEAKHUNT_ALLOCATION_FRAMES: String(frames) },
    read() {
      const tables: AllocationTable[] = [];
      let files = 0;
      for (const name of readdirSync(dir)) {
        if (!name.endsWith('.json')) continue;
        files++;
        const path = join(dir, name);
        try {
          if (statSync(path).size > MAX_TABLE_BYTES) continue;
          const table = parseAllocationTable(readFileSync(path, 'utf8'));
          if (table) tables.push(table);
        } catch {
          // Gone or unreadable: the other processes' tables still count.
        }
      }
      return { tables, files };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
