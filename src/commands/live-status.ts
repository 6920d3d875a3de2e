// The live status during `watch` on a terminal: elapsed time, processes, tree RSS, tasks and
// the current (debounced) verdict, redrawn at most four times a second.
import type { Snapshot, Verdict } from '../model.js';
import type { Recorder } from '../runner/recorder.js';
import { createStatusBar, type StatusBar } from '../render/status-bar.js';
import { formatBytes, formatDuration } from '../units.js';
import type { OutputOptions } from './options.js';

const REDRAW_MS = 250;

export interface LiveStatus {
  update(snapshot: Snapshot, recorder: Recorder, verdict: Verdict): void;
  close(): void;
}

export function statusText(snapshot: Snapshot, recorder: Recorder, verdict: Verdict): string {
  const done = recorder.completed;
  const rate = verdict.bytesPerTask !== null ? `${formatBytes(verdict.bytesPerTask)}/task` : verdict.bytesPerHour !== null ? `${formatBytes(verdict.bytesPerHour)}/h` : '';
  return [
    `leakhunt ${formatDuration(snapshot.elapsedMs)}`,
    `${snapshot.processes.length} proc`,
    `tree RSS ${formatBytes(snapshot.treeRssBytes)}`,
    ...(recorder.tasks.length > 0 ? [`${done} tasks`] : []),
    `verdict: ${verdict.status}${rate && verdict.status !== 'insufficient' ? ` ${rate}` : ''}`,
  ].join(' · ');
}

export function createLiveStatus(out: Pick<OutputOptions, 'quiet'>): LiveStatus {
  const stream = process.stderr;
  if (out.quiet || !stream.isTTY || process.env.CI) return { update() {}, close() {} };
  let bar: StatusBar | null = null;
  let lastDraw = 0;
  return {
    update(snapshot, recorder, verdict) {
      const now = performance.now();
      if (now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      bar ??= createStatusBar(stream);
      bar.update(statusText(snapshot, recorder, verdict));
    },
    close() {
      bar?.close();
    },
  };
}
