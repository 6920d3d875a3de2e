// A command string split into words as a POSIX shell splits them (XCU 2.2 quoting, 2.6.5 field
// splitting on blanks) — and nothing more: no expansion, no globbing, no operators. `--load` and
// `--variant` take one string, and running it through `sh -c` would hand every quoting mistake and
// every `$(...)` to a shell. Characters a shell would treat as operators or expansions are refused
// unquoted, with a hint, rather than passed on as literal text the user did not mean.

/** Why a command string cannot be split; the caller adds the flag's name. */
export class WordsError extends Error {
  override name = 'WordsError';
}

/** Unquoted, these make a shell pipe, redirect, sequence, subshell, expand or comment. */
const OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`']);
const BLANKS = new Set([' ', '\t', '\n']);
/** Inside double quotes a backslash escapes only these (XCU 2.2.3); before others it is literal. */
const DOUBLE_QUOTE_ESCAPES = new Set(['$', '`', '"', '\\', '\n']);

/** Split `text` into words; throws WordsError on an unterminated quote or an unquoted operator. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  // A word exists once any part of it was seen, so `''` is one empty word and blanks are none.
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (BLANKS.has(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) throw new WordsError('ends with a lone backslash');
      // Backslash-newline is a line continuation: both vanish.
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new WordsError('unterminated single quote');
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const [part, end] = doubleQuoted(text, i + 1);
      word += part;
      inWord = true;
      i = end + 1;
    } else if (OPERATORS.has(c) || (c === '#' && !inWord)) {
      throw new WordsError(`"${c}" needs a shell, and leakhunt runs no shell: quote it, or run a script (or sh -c '...') as the command`);
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The text of a double-quoted part starting at `from`, and the index of its closing quote. */
function doubleQuoted(text: string, from: number): [string, number] {
  let part = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return [part, i];
    if (c === '$' || c === '`') {
      throw new WordsError(`"${c}" inside double quotes would expand in a shell, and leakhunt runs no shell: use single quotes for it literally`);
    }
    if (c === '\\' && i + 1 < text.length && DOUBLE_QUOTE_ESCAPES.has(text[i + 1]!)) {
      if (text[i + 1] !== '\n') part += text[i + 1];
      i++;
      continue;
    }
    part += c;
  }
  throw new WordsError('unterminated double quote');
}
