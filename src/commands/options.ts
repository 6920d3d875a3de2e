// Raw commander values → typed, validated options. Every bad value is one UsageError line.
import type { MetricName } from '../model.js';
import { UsageError } from '../errors.js';
import { parseDuration, parseSize } from '../units.js';
import { checkWritable } from '../files/atomic.js';
import { splitWords, WordsError } from '../runner/words.js';

export interface OutputOptions {
  csv?: string;
  json?: string;
  html?: string;
  md?: string;
  failOn?: 'leak' | 'suspect';
  limitBytes?: number;
  metric: MetricName;
  children: boolean;
  quiet: boolean;
  color: boolean;
}

export interface RawOutputOptions {
  csv?: string;
  json?: string;
  html?: string;
  md?: string;
  failOn?: 'leak' | 'suspect';
  limit?: string;
  metric?: string;
  children?: boolean;
  quiet?: boolean;
  color?: boolean;
}

export function parseOutputOptions(raw: RawOutputOptions): OutputOptions {
  for (const flag of ['csv', 'json', 'html', 'md'] as const) {
    const path = raw[flag];
    if (path === undefined) continue;
    try {
      checkWritable(path);
    } catch (error) {
      // Name the flag too: "--csv: /x/y.csv: directory /x does not exist".
      if (error instanceof UsageError) throw new UsageError(`--${flag}: ${error.message}`);
      throw error;
    }
  }
  return {
    ...(raw.csv ? { csv: raw.csv } : {}),
    ...(raw.json ? { json: raw.json } : {}),
    ...(raw.html ? { html: raw.html } : {}),
    ...(raw.md ? { md: raw.md } : {}),
    ...(raw.failOn ? { failOn: raw.failOn } : {}),
    ...(raw.limit ? { limitBytes: parseSize(raw.limit, '--limit') } : {}),
    metric: (raw.metric ?? 'rss') as MetricName,
    children: raw.children !== false,
    quiet: raw.quiet === true,
    color: raw.color !== false,
  };
}

/** A command given as one string (--load, --variant): its words, as a POSIX shell would split them. */
export function parseCommandString(text: string, flag: string): string[] {
  let words: string[];
  try {
    words = splitWords(text);
  } catch (error) {
    if (error instanceof WordsError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
  if (words.length === 0 || words[0] === '') throw new UsageError(`${flag}: no command given`);
  return words;
}

export function optionalDuration(text: string | undefined, flag: string): number | undefined {
  return text === undefined ? undefined : parseDuration(text, flag);
}

export function parsePid(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--pid: "${text}" is not a process id`);
  const pid = Number(text);
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') throw new UsageError(`--pid: no process ${pid}`);
  }
  return pid;
}
