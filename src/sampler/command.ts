// The command string kept per process: one line, bounded, whatever argv holds.

/** Longest command string kept per process: a sample row must stay small whatever argv holds. */
export const COMMAND_MAX_CHARS = 200;

/**
 * One display line: control characters (NUL argv separators, a newline inside an argument, which
 * would break every table the command is shown in) become single spaces; capped in length.
 */
export function cleanCommand(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (line.length <= COMMAND_MAX_CHARS) return line;
  // Never end on the first half of a surrogate pair.
  const last = line.charCodeAt(COMMAND_MAX_CHARS - 1);
  return line.slice(0, last >= 0xd800 && last <= 0xdbff ? COMMAND_MAX_CHARS - 1 : COMMAND_MAX_CHARS);
}
