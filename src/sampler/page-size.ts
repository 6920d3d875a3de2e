// The kernel page size, to turn stat's rss (in pages) into bytes. Read once from our own auxiliary
// vector (AT_PAGESZ): exact on every architecture (arm64 kernels use 4, 16 or 64 KiB pages) and,
// unlike `getconf PAGESIZE`, it spawns nothing.
import { readFileSync } from 'node:fs';
import { arch, endianness } from 'node:os';

const AT_NULL = 0;
const AT_PAGESZ = 6;
/** x86_64's page size, the fallback when auxv cannot be read (it always can on Linux). */
const FALLBACK_PAGE_SIZE = 4096;

let cached: number | undefined;

export function pageSize(): number {
  cached ??= readAuxvPageSize(readAuxv()) ?? FALLBACK_PAGE_SIZE;
  return cached;
}

function readAuxv(): Buffer | null {
  try {
    return readFileSync('/proc/self/auxv');
  } catch {
    return null;
  }
}

/** auxv is a list of (type, value) pairs of native words, ending with AT_NULL. */
export function readAuxvPageSize(
  auxv: Buffer | null,
  wordBytes: 4 | 8 = is64Bit() ? 8 : 4,
  littleEndian = endianness() === 'LE',
): number | null {
  if (!auxv) return null;
  const word = (offset: number): number => {
    if (wordBytes === 4) return littleEndian ? auxv.readUInt32LE(offset) : auxv.readUInt32BE(offset);
    return Number(littleEndian ? auxv.readBigUInt64LE(offset) : auxv.readBigUInt64BE(offset));
  };
  for (let offset = 0; offset + 2 * wordBytes <= auxv.length; offset += 2 * wordBytes) {
    const type = word(offset);
    if (type === AT_NULL) break;
    if (type === AT_PAGESZ) return word(offset + wordBytes);
  }
  return null;
}

function is64Bit(): boolean {
  return ['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'].includes(arch());
}
