// The one-line live status while a run goes: elapsed time, processes, tree RSS, tasks and the
// current trend. One line, never wider than the terminal, no line break: the caller owns the
// cursor (\r, erasing, a reserved row).
import type { Verdict } from '../model.js';
import { formatBytes, formatDelta, formatDuration } from '../units.js';
import type { Style } from './color.js';
import { paintStatus } from './summary.js';
import { formatCount } from '../format/text.js';

export interface StatusState {
  elapsedMs: number;
  processCount: number;
  treeRssBytes: number;
  /** Tasks finished so far; omitted when the run has no task boundaries. */
  tasksDone?: number;
  /** The verdict so far, if one has been computed. */
  verdict?: Pick<Verdict, 'status' | 'bytesPerTask' | 'bytesPerHour'> | null;
  /** Terminal width (default 80). */
  width?: number;
  style?: Style;
}

function trend(verdict: NonNullable<StatusState['verdict']>): string {
  if (verdict.status === 'insufficient') return 'gathering data';
  if (verdict.bytesPerTask !== null) return `${formatDelta(verdict.bytesPerTask)}/task`;
  if (verdict.bytesPerHour !== null) return `${formatDelta(verdict.bytesPerHour)}/h`;
  return '';
}

export function renderStatusLine(state: StatusState): string {
  const verdict = state.verdict ?? null;
  const status = verdict ? `${verdict.status}${trend(verdict) ? ` ${trend(verdict)}` : ''}` : '';
  // [text, keep-priority]: on a narrow terminal the lowest priority goes first; the tree RSS and
  // the trend are the point of the line.
  const segments: Array<[string, number]> = [
    [`leakhunt ${formatDuration(state.elapsedMs)}`, 3],
    [`${formatCount(state.processCount)} proc${state.processCount === 1 ? '' : 's'}`, 1],
    [`tree RSS ${formatBytes(state.treeRssBytes)}`, 5],
    ...(state.tasksDone !== undefined ? [[`${formatCount(state.tasksDone)} tasks`, 2] as [string, number]] : []),
    ...(status ? [[status, 4] as [string, number]] : []),
  ];
  // Writing into the last column makes many terminals wrap, so stay one short of the width.
  const limit = Math.max(10, (state.width ?? 80) - 1);
  const join = (parts: Array<[string, number]>): string => parts.map(([text]) => text).join(' · ');
  while (segments.length > 1 && [...join(segments)].length > limit) {
    const lowest = segments.reduce((min, entry, i) => (entry[1] < segments[min]![1] ? i : min), 0);
    segments.splice(lowest, 1);
  }
  let line = join(segments);
  if ([...line].length > limit) line = [...line].slice(0, limit - 1).join('') + '…';
  if (state.style && verdict && status && line.endsWith(status)) {
    return line.slice(0, line.length - status.length) + paintStatus(verdict.status, state.style, status);
  }
  return line;
}
