// Steps of a recorded run for the recorder's task tests: processes, the worker's start, and each
// task's boundaries read with a given tree (the worker is pid WORKER, the session's root).
import type { ProcessReading, TaskRecord } from '../../src/model.js';
import { Recorder } from '../../src/runner/recorder.js';

export const MB = 1024 * 1024;
export const WORKER = 10;

export function proc(pid: number, rssMb: number, command = 'python3 worker.py'): ProcessReading {
  return {
    pid, ppid: pid === WORKER ? 1 : WORKER, startTime: 500 + pid, command,
    rssBytes: rssMb * MB, vmsBytes: 4 * rssMb * MB, peakRssBytes: rssMb * MB, fds: 4, threads: 1, state: 'S',
  };
}

export const reading = (...processes: ProcessReading[]) => ({ processes, vanished: 0 });

/** A recorder whose run started with this tree. */
export function startedRecorder(tree: ProcessReading[], configure?: (recorder: Recorder) => void): Recorder {
  const recorder = new Recorder(null);
  configure?.(recorder);
  recorder.record(reading(...tree), 0, 'start', 0.1);
  return recorder;
}

/** A boundary's line: `pid` undefined is a line written on behalf of another process. */
interface Line {
  pid?: number;
  metrics?: Record<string, number>;
}

/** Task `task` starts, its line read at `at` with the tree `tree`. */
export function start(recorder: Recorder, task: string, line: Line, at: number, tree: ProcessReading[]): void {
  const snapshot = recorder.record(reading(...tree), at, 'task-start', 0.1, { task });
  recorder.taskStarted({ event: 'start', task, name: 'job', ...line }, snapshot, WORKER);
}

/** Task `task` ends, its line read at `at` with the tree `tree`. */
export function end(recorder: Recorder, task: string, line: Line, at: number, tree: ProcessReading[]): TaskRecord {
  const snapshot = recorder.record(reading(...tree), at, 'task-end', 0.1, { task });
  return recorder.taskEnded({ event: 'end', task, ok: true, ...line }, snapshot, WORKER);
}
