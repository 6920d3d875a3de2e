// Colour for the terminal, decided once from the flags and the environment.
//
// chalk alone is not enough: chalk 5 ignores NO_COLOR. So the decision is made here and chalk only
// paints at the level it is given.
import { Chalk } from 'chalk';
import asciichart from 'asciichart';

export interface Style {
  readonly color: boolean;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
  blue(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  /** The raw ANSI code asciichart takes for the index-th series (undefined without colour). */
  seriesColor(index: number): string | undefined;
  /** Paints text as the index-th series is drawn. */
  series(index: number, text: string): string;
}

/** Series colours, in the order modes are listed; chosen to stay apart on dark and light themes. */
const SERIES = ['red', 'green', 'cyan', 'yellow', 'magenta', 'blue'] as const;
const SERIES_ANSI = [asciichart.red, asciichart.green, asciichart.cyan, asciichart.yellow, asciichart.magenta, asciichart.blue];

/**
 * Whether to colour. In order: --no-color (flag false) wins; then NO_COLOR when non-empty (the
 * user's standing wish, https://no-color.org, over a FORCE_COLOR that build tools often set for
 * their children); then FORCE_COLOR ("0" or "false" turn colour off, any other value on); then
 * TERM=dumb; else colour only when the stream is a terminal.
 * `flag` is commander's `color` option: false for --no-color, true or undefined when not given.
 */
export function shouldColor(env: NodeJS.ProcessEnv, isTTY: boolean, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env['TERM'] === 'dumb') return false;
  return isTTY;
}

export function createStyle(options: { color: boolean }): Style {
  // Level 1 (16 colours) is all a summary needs and every terminal shows it the same way.
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const plain = (text: string): string => text;
  const paint = (fn: (text: string) => string) => (options.color ? fn : plain);
  const nth = <T>(list: readonly T[], index: number): T => list[((index % list.length) + list.length) % list.length]!;
  return {
    color: options.color,
    red: paint(chalk.red),
    yellow: paint(chalk.yellow),
    green: paint(chalk.green),
    cyan: paint(chalk.cyan),
    magenta: paint(chalk.magenta),
    blue: paint(chalk.blue),
    dim: paint(chalk.dim),
    bold: paint(chalk.bold),
    seriesColor: (index) => (options.color ? nth(SERIES_ANSI, index) : undefined),
    series: (index, text) => (options.color ? chalk[nth(SERIES, index)](text) : text),
  };
}
