import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeCommand, KB_FIELD, newStatFields, parseLastPid, parseStat, readKbField,
} from '../../src/sampler/proc-parse.js';
import { allocatedBetween } from '../../src/sampler/pid-cursor.js';
import { readAuxvPageSize } from '../../src/sampler/page-size.js';
import { cleanCommand, COMMAND_MAX_CHARS } from '../../src/sampler/command.js';

const STAT_TAIL = '3 0 0 0 0 0 0 0 20 0 7 0 98765 1100000000 10000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0';

function parse(line: string) {
  const buf = Buffer.from(line);
  const fields = newStatFields();
  const ok = parseStat(buf, buf.length, fields);
  return { ok, fields, comm: buf.toString('utf8', fields.commStart, fields.commEnd) };
}

test('parseStat reads ppid, pgid, session, threads, start time, vsize and rss', () => {
  const { ok, fields, comm } = parse(`4242 (node) S 4200 4201 4202 34816 -1 4194560 ${STAT_TAIL}\n`);
  assert.equal(ok, true);
  assert.equal(comm, 'node');
  assert.equal(String.fromCharCode(fields.state), 'S');
  assert.deepEqual(
    [fields.ppid, fields.pgid, fields.sid, fields.threads, fields.startTime, fields.vsizeBytes, fields.rssPages],
    [4200, 4201, 4202, 7, 98765, 1100000000, 10000],
  );
});

test('parseStat counts fields from the last ")", so a comm that mimics fields cannot shift them', () => {
  const { ok, fields, comm } = parse(`101 (x) Z 1 1 ) R 100 100 100 0 -1 4194560 ${STAT_TAIL}\n`);
  assert.equal(ok, true);
  assert.equal(comm, 'x) Z 1 1 ');
  assert.equal(String.fromCharCode(fields.state), 'R');
  assert.equal(fields.ppid, 100);
  assert.equal(fields.startTime, 98765);
});

test('parseStat accepts spaces and parentheses in comm, and negative fields', () => {
  const { ok, fields, comm } = parse(`7 (a (b) c) S 1 -5 7 0 -1 0 ${STAT_TAIL}`);
  assert.equal(ok, true);
  assert.equal(comm, 'a (b) c');
  assert.equal(fields.pgid, -5);
  assert.equal(fields.rssPages, 10000);
});

test('parseStat reads arg_start (field 48) when the kernel prints it, and does without it', () => {
  const fields = Array.from({ length: 52 }, (_, i) => String(i + 1));
  fields[1] = '(sh)';
  fields[2] = 'S';
  const full = parse(`${fields.join(' ')}\n`);
  assert.deepEqual([full.ok, full.fields.ppid, full.fields.rssPages, full.fields.argStart], [true, 4, 24, 48]);
  const old = parse(`${fields.slice(0, 44).join(' ')}\n`); // Linux before 3.5
  assert.deepEqual([old.ok, old.fields.rssPages, old.fields.argStart], [true, 24, 0]);
});

test('parseStat rejects truncated or garbled lines', () => {
  assert.equal(parse('12 (sh) S 1 12 12 0 -1').ok, false);
  assert.equal(parse('12 sh S 1 12 12').ok, false);
  assert.equal(parse(`12 (sh) S x 12 12 0 -1 0 ${STAT_TAIL}`).ok, false);
  assert.equal(parse('').ok, false);
});

test('parseStat only looks at the first `length` bytes of a reused buffer', () => {
  const buf = Buffer.alloc(512, 0x20);
  const long = Buffer.from(`9 (long name) S 1 9 9 0 -1 4194560 ${STAT_TAIL}`);
  long.copy(buf);
  const short = Buffer.from('9 (x) S 1 9');
  short.copy(buf);
  assert.equal(parseStat(buf, short.length, newStatFields()), false);
});

test('readKbField finds "Name: N kB" lines in bytes, and not their look-alikes', () => {
  const text = 'Rss: 100 kB\nPss:     410 kB\nPrivate_Clean:  12 kB\nPrivate_Dirty:\t30 kB\nSwapPss: 7777 kB\n';
  const buf = Buffer.from(text);
  assert.equal(readKbField(buf, buf.length, KB_FIELD.pss), 410 * 1024);
  assert.equal(readKbField(buf, buf.length, KB_FIELD.privateClean), 12 * 1024);
  assert.equal(readKbField(buf, buf.length, KB_FIELD.privateDirty), 30 * 1024);
  assert.equal(readKbField(buf, buf.length, KB_FIELD.peakRss), null);
});

test('readKbField ignores a match left past `length` by an earlier read', () => {
  const buf = Buffer.alloc(256);
  Buffer.from('Name:\tsh\nState:\tS\nVmHWM:\t  1688 kB\n').copy(buf);
  const zombieStatus = Buffer.from('Name:\tz\nState:\tZ\n');
  zombieStatus.copy(buf);
  assert.equal(readKbField(buf, zombieStatus.length, KB_FIELD.peakRss), null);
});

test('decodeCommand joins argv with spaces, drops control characters and caps the length', () => {
  const argv = Buffer.from('node\0worker.js\0--name\0a\nb\0');
  assert.equal(decodeCommand(argv, 0, argv.length), 'node worker.js --name a b');
  const huge = Buffer.from(`python3\0${'x'.repeat(5000)}\0`);
  const command = decodeCommand(huge, 0, huge.length);
  assert.equal(command.length, COMMAND_MAX_CHARS);
  assert.ok(command.startsWith('python3 xxx'));
});

test('cleanCommand never ends on half of a surrogate pair', () => {
  const text = `${'a'.repeat(COMMAND_MAX_CHARS - 1)}😀tail`;
  const command = cleanCommand(text);
  assert.equal(command, 'a'.repeat(COMMAND_MAX_CHARS - 1));
});

test('parseLastPid reads the last field of /proc/loadavg', () => {
  const buf = Buffer.from('0.52 0.58 0.59 2/451 123456\n');
  assert.equal(parseLastPid(buf, buf.length), 123456);
  const bad = Buffer.from('0.52 0.58');
  assert.equal(parseLastPid(bad, bad.length), null);
  assert.equal(parseLastPid(Buffer.from('12'), 2), null);
});

test('allocatedBetween is the cyclic range (from, to] of pids handed out', () => {
  assert.equal(allocatedBetween(150, 100, 200), true);
  assert.equal(allocatedBetween(100, 100, 200), false);
  assert.equal(allocatedBetween(200, 100, 200), true);
  assert.equal(allocatedBetween(250, 100, 200), false);
  // wrapped past pid_max: 32000 → 500
  assert.equal(allocatedBetween(32500, 32000, 500), true);
  assert.equal(allocatedBetween(400, 32000, 500), true);
  assert.equal(allocatedBetween(1000, 32000, 500), false);
  // nothing handed out
  assert.equal(allocatedBetween(100, 100, 100), false);
});

test('readAuxvPageSize finds AT_PAGESZ in 64-bit and 32-bit vectors', () => {
  const pairs = [[33, 0x7fff0000], [6, 16384], [17, 100], [0, 0]];
  const auxv64 = Buffer.alloc(pairs.length * 16);
  pairs.forEach(([type, value], i) => {
    auxv64.writeBigUInt64LE(BigInt(type!), i * 16);
    auxv64.writeBigUInt64LE(BigInt(value!), i * 16 + 8);
  });
  assert.equal(readAuxvPageSize(auxv64, 8, true), 16384);
  const auxv32 = Buffer.alloc(pairs.length * 8);
  pairs.forEach(([type, value], i) => {
    auxv32.writeUInt32BE(type!, i * 8);
    auxv32.writeUInt32BE(value!, i * 8 + 4);
  });
  assert.equal(readAuxvPageSize(auxv32, 4, false), 16384);
  assert.equal(readAuxvPageSize(Buffer.alloc(16), 8, true), null);
  assert.equal(readAuxvPageSize(null), null);
});
