// When markers are asked for, the worker's stdout and stderr come through leakhunt: every byte
// is passed on unchanged (with backpressure), and complete lines are matched against the
// --task-start/--task-end patterns.
import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { ProtocolStats } from '../model.js';
import type { BoundaryEvent } from '../protocol/message.js';
import { createMarkerScanner, type MarkerSpec } from '../protocol/markers.js';

export interface OutputPump {
  /** Wait for both pipes to close, at most timeoutMs (a grandchild may hold them open forever). */
  finish(timeoutMs: number): Promise<void>;
  stats(): ProtocolStats;
}

export function attachOutput(child: ChildProcess, spec: MarkerSpec, onEvent: (e: BoundaryEvent) => void): OutputPump {
  const scanners = [createMarkerScanner(spec, onEvent), createMarkerScanner(spec, onEvent)];
  const pumps = [pump(child.stdout!, process.stdout, scanners[0]!), pump(child.stderr!, process.stderr, scanners[1]!)];
  return {
    async finish(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all(pumps.map((p) => p.closed)), timeout]);
      clearTimeout(timer);
      for (const p of pumps) p.stop();
    },
    // Marker lines past MAX_MARKER_LINE_BYTES are passed through but not matched: counted here.
    stats: () => ({ malformed: 0, oversized: scanners.reduce((sum, s) => sum + s.oversized, 0) }),
  };
}

function pump(from: Readable, to: Writable, scanner: { push(chunk: Buffer): void; end(): void }) {
  const closed = new Promise<void>((resolve) => {
    from.once('close', resolve);
    from.once('error', () => resolve());
  });
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
    scanner.push(chunk);
  });
  from.once('end', () => scanner.end());
  return {
    closed,
    stop() {
      if (!from.destroyed) {
        scanner.end();
        from.destroy();
      }
    },
  };
}
