import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../src/errors.js';
import { checkWritable, openCsvStream, writeFileAtomic } from '../../src/files/atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'leakhunt-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const isUsage = (message: RegExp) => (error: unknown): boolean => error instanceof UsageError && message.test(error.message);

test('writeFileAtomic replaces the file whole and leaves no temp file', () => {
  const target = join(dir, 'out.json');
  writeFileSync(target, 'old');
  writeFileAtomic(target, 'new contents');
  assert.equal(readFileSync(target, 'utf8'), 'new contents');
  writeFileAtomic(target, new Uint8Array([104, 105]));
  assert.equal(readFileSync(target, 'utf8'), 'hi');
  assert.deepEqual(readdirSync(dir).filter((name) => name.includes('out.json')), ['out.json']);
});

test('a symbolic link target is refused and its victim left untouched', () => {
  const victim = join(dir, 'victim.txt');
  const link = join(dir, 'link.json');
  writeFileSync(victim, 'precious');
  symlinkSync(victim, link);
  assert.throws(() => writeFileAtomic(link, 'overwritten'), isUsage(/link\.json is a symbolic link; refusing to write through it$/));
  assert.throws(() => openCsvStream(link), isUsage(/link\.json is a symbolic link; refusing to write through it$/));
  assert.throws(() => checkWritable(link), isUsage(/is a symbolic link/));
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), []);
});

test('checkWritable: missing directory, a directory, an unwritable file', () => {
  assert.doesNotThrow(() => checkWritable(join(dir, 'fresh.csv')));
  assert.throws(() => checkWritable(join(dir, 'nope', 'x.csv')), isUsage(/directory .*nope does not exist$/));
  assert.throws(() => checkWritable(dir), isUsage(/is a directory; give a file name$/));
  const readOnly = join(dir, 'readonly.csv');
  writeFileSync(readOnly, '');
  chmodSync(readOnly, 0o444);
  if (process.getuid?.() !== 0) assert.throws(() => checkWritable(readOnly), isUsage(/not writable$/));
});

test('openCsvStream truncates, appends chunk by chunk, and survives close twice', () => {
  const path = join(dir, 'live.csv');
  writeFileSync(path, 'stale data that must go');
  const stream = openCsvStream(path);
  stream.write('a,b\r\n');
  stream.write('');
  stream.write('1,2\r\n');
  assert.equal(readFileSync(path, 'utf8'), 'a,b\r\n1,2\r\n', 'each chunk is on disk at once');
  stream.close();
  stream.close();
  assert.throws(() => openCsvStream(dir), isUsage(/is a directory/));
});

test('two processes writing different targets in one directory do not clobber each other', async () => {
  const shared = join(dir, 'shared');
  mkdirSync(shared);
  const moduleUrl = pathToFileURL(join(import.meta.dirname, '../../src/files/atomic.js')).href;
  const writer = (name: string, fill: string): Promise<number | null> => new Promise((resolve, reject) => {
    const script = `const { writeFileAtomic } = await import(${JSON.stringify(moduleUrl)});
      for (let i = 0; i < 40; i++) writeFileAtomic(${JSON.stringify(join(shared, name))}, ${JSON.stringify(fill)}.repeat(50000) + i);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  const codes = await Promise.all([writer('a.json', 'a'), writer('b.json', 'b')]);
  assert.deepEqual(codes, [0, 0]);
  assert.equal(readFileSync(join(shared, 'a.json'), 'utf8'), 'a'.repeat(50000) + '39');
  assert.equal(readFileSync(join(shared, 'b.json'), 'utf8'), 'b'.repeat(50000) + '39');
  assert.deepEqual(readdirSync(shared).sort(), ['a.json', 'b.json'], 'no temp files left');
});
