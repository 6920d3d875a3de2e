// What the heap agent does (heap-agent.cts): a worker that writes its own boundary lines to the
// channel with a synchronous call (fs.writeSync on the FIFO it opened, fs.appendFileSync or
// fs.writeFileSync on its path) gets, in each `end` line that carries no heap figure, the heap
// after a full GC taken right there, as the helper would send it. Taken in the call that writes
// the end, it is exact whatever the worker does next (a queue worker with a backlog goes straight
// on to its next job). Asynchronous writes (write streams, fs.promises) pass untouched: a stream
// may hold a line back and write it later, with others, and figures taken then would be another
// moment's.
// This file runs inside users' workers: node builtins only.
import fs = require('node:fs');
import nodeModule = require('node:module');
import path = require('node:path');
import url = require('node:url');

/** The channel's line cap (PIPE_BUF): a line that would grow past it is left as it was. */
const MAX_LINE_BYTES = 4096;

/** The heap's figures now, or null where none are to be sent (a worker thread). */
type Figures = () => { heapUsed: number; heapTotal: number; external: number } | null;

/**
 * The line with the heap figures added to its metrics, or null to leave it as it is: not one
 * JSON line, not an `end`, already carrying heapUsed, another process's (its pid is not ours), no
 * figures to add, or too long once they are in.
 */
function withHeapFigures(text: string, pid: number, figures: Figures): string | null {
  if (!text.endsWith('\n') || text.indexOf('\n') !== text.length - 1) return null;
  // Most channel lines are starts, or the helper's ends with their heap: no parse for those. As a
  // key (a string's quotes would be escaped), `"heapUsed":` can only be a metric.
  if (!text.includes('"end"') || text.includes('"heapUsed":')) return null;
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(line) || line.event !== 'end' || (line.pid !== undefined && line.pid !== pid)) return null;
  const metrics = line.metrics === undefined ? {} : line.metrics;
  if (!isRecord(metrics) || metrics.heapUsed !== undefined) return null;
  const now = figures();
  if (now === null) return null;
  const { heapUsed, heapTotal, external } = now;
  const out = `${JSON.stringify({ ...line, metrics: { ...metrics, heapUsed, heapTotal, external, heapBy: 'agent' } })}\n`;
  return Buffer.byteLength(out) <= MAX_LINE_BYTES ? out : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a writeSync call writes, when it is a whole string or a whole (part of a) buffer in UTF-8, and its length in bytes; else null. */
function written(data: unknown, rest: unknown[]): { text: string; bytes: number } | null {
  if (typeof data === 'string') {
    const encoding = rest[1];
    const utf8 = encoding === undefined || encoding === null || encoding === 'utf8' || encoding === 'utf-8';
    return utf8 ? { text: data, bytes: Buffer.byteLength(data) } : null;
  }
  if (!ArrayBuffer.isView(data)) return null;
  const options = isRecord(rest[0]) ? rest[0] : { offset: rest[0], length: rest[1] };
  const offset = typeof options.offset === 'number' ? options.offset : 0;
  const bytes = typeof options.length === 'number' ? options.length : data.byteLength - offset;
  return { text: Buffer.from(data.buffer, data.byteOffset + offset, bytes).toString('utf8'), bytes };
}

/** Patches node:fs (and its ES module exports) so channel writes carry heap figures. */
function hookChannelWrites(channel: string, figures: Figures): void {
  const target = path.resolve(channel);
  const isChannel = (where: unknown): boolean => {
    if (typeof where === 'string') return path.resolve(where) === target;
    if (where instanceof URL) return where.protocol === 'file:' && path.resolve(url.fileURLToPath(where)) === target;
    if (Buffer.isBuffer(where)) return path.resolve(where.toString()) === target;
    return false;
  };
  const channelFds = new Set<number>();
  const original = { openSync: fs.openSync, closeSync: fs.closeSync, writeSync: fs.writeSync, appendFileSync: fs.appendFileSync, writeFileSync: fs.writeFileSync };
  const withFigures = (data: unknown, rest: unknown[] = []): string | null => {
    const call = written(data, rest);
    return call === null ? null : withHeapFigures(call.text, process.pid, figures);
  };
  const patched: Partial<typeof fs> = {
    openSync(...args: Parameters<typeof fs.openSync>) {
      const fd = original.openSync(...args);
      if (isChannel(args[0])) channelFds.add(fd);
      return fd;
    },
    closeSync(fd: number) {
      channelFds.delete(fd);
      original.closeSync(fd);
    },
    writeSync(fd: number, data: unknown, ...rest: unknown[]): number {
      const call = channelFds.has(fd) ? written(data, rest) : null;
      const line = call === null ? null : withHeapFigures(call.text, process.pid, figures);
      if (line === null) return (original.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
      original.writeSync(fd, line);
      // What the caller asked to write was written (as one line, with figures added).
      return call!.bytes;
    },
    appendFileSync(file: fs.PathOrFileDescriptor, data: string | Uint8Array, options?: fs.WriteFileOptions) {
      const line = isChannel(file) || (typeof file === 'number' && channelFds.has(file)) ? withFigures(data) : null;
      original.appendFileSync(file, line ?? data, options);
    },
    writeFileSync(file: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView, options?: fs.WriteFileOptions) {
      const line = isChannel(file) || (typeof file === 'number' && channelFds.has(file)) ? withFigures(data) : null;
      original.writeFileSync(file, line ?? data, options);
    },
  } as Partial<typeof fs>;
  Object.assign(fs, patched);
  // `import { writeSync } from 'node:fs'` reads the ES module namespace, which follows the
  // CommonJS exports only when told to.
  nodeModule.syncBuiltinESMExports();
}

export = { withHeapFigures, hookChannelWrites };
