import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { splitWords, WordsError } from '../../src/runner/words.js';
import { mulberry32 } from '../../src/seeded-random.js';

test('splits on runs of blanks, ignoring leading and trailing ones', () => {
  assert.deepEqual(splitWords('  node   load.js\t--n 40\n'), ['node', 'load.js', '--n', '40']);
  assert.deepEqual(splitWords(''), []);
  assert.deepEqual(splitWords(' \t '), []);
});

test('single quotes keep everything literal, backslashes and double quotes included', () => {
  assert.deepEqual(splitWords(`python -c 'print("a b") \\n'`), ['python', '-c', 'print("a b") \\n']);
  assert.deepEqual(splitWords(`'$HOME' '|' ';'`), ['$HOME', '|', ';']);
});

test('double quotes group blanks; a backslash escapes only $ ` " \\ and newline there', () => {
  assert.deepEqual(splitWords(`echo "a  b" "c\\"d" "e\\f" "g\\\\h" "\\$x"`), ['echo', 'a  b', 'c"d', 'e\\f', 'g\\h', '$x']);
});

test('an unquoted backslash escapes the next character; backslash-newline joins lines', () => {
  assert.deepEqual(splitWords('a\\ b c\\\\d e\\\nf'), ['a b', 'c\\d', 'ef']);
});

test('quotes join with adjacent text into one word, and an empty pair is an empty word', () => {
  assert.deepEqual(splitWords(`--name='x y'z "" ''`), ['--name=x yz', '', '']);
  assert.deepEqual(splitWords(`a'' b`), ['a', 'b']);
});

test('# starts a comment only at the start of a word (refused there), and is plain text inside one', () => {
  assert.deepEqual(splitWords('a#b'), ['a#b']);
  assert.throws(() => splitWords('a #b'), WordsError);
});

test('unterminated quotes, a final lone backslash, operators and expansions are refused', () => {
  for (const bad of [`'abc`, `"abc`, 'abc\\', 'a | b', 'a;b', 'a > f', 'a && b', 'echo $HOME', 'echo `id`', '(a)', '"$x"', '"`id`"']) {
    assert.throws(() => splitWords(bad), WordsError, bad);
  }
  assert.throws(() => splitWords('a | b'), /"\|" needs a shell/);
});

/** A word quoted in one of the ways a person would write it; the splitter must undo each. */
function quote(word: string, style: number): string {
  if (style === 0) return `'${word.replace(/'/g, `'\\''`)}'`;
  if (style === 1) return `"${word.replace(/[$`"\\]/g, (c) => `\\${c}`)}"`;
  return word.length === 0 ? "''" : word.replace(/[^A-Za-z0-9_\-.,:/=@%+]/g, (c) => (c === '\n' ? `'\n'` : `\\${c}`));
}

const ALPHABET = ['a', 'b', 'Z', '0', ' ', '\t', '\n', "'", '"', '\\', '$', '`', '|', ';', '&', '*', '#', '(', '=', '-', 'é'];

function randomWords(random: () => number): string[] {
  const count = Math.floor(random() * 5);
  return Array.from({ length: count }, () => {
    const length = Math.floor(random() * 7);
    return Array.from({ length }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]!).join('');
  });
}

test('property: any words, each quoted in any style and joined by blanks, split back into the same words', () => {
  const random = mulberry32(23);
  for (let run = 0; run < 2000; run++) {
    const words = randomWords(random);
    const text = words.map((w) => quote(w, Math.floor(random() * 3))).join(random() < 0.5 ? ' ' : ' \t ');
    assert.deepEqual(splitWords(text), words, JSON.stringify(text));
  }
});

test('property: the words are those /bin/sh makes of the same text (no globbing), for every text it accepts', { skip: existsSync('/bin/sh') ? false : 'no /bin/sh here' }, () => {
  const random = mulberry32(7);
  // Strings the splitter accepts are compared with the shell's own word list, NUL-separated.
  const texts: string[] = [];
  while (texts.length < 150) {
    const text = randomWords(random).map((w) => quote(w, Math.floor(random() * 3))).join(' ');
    texts.push(text);
  }
  const script = texts.map((t) => `set -- ${t}\nfor a; do printf '%s\\001' "$a"; done; printf '\\002'`).join('\n');
  const out = execFileSync('/bin/sh', ['-f', '-c', script], { encoding: 'utf8' });
  const shellLists = out.split('\u0002').slice(0, -1).map((list) => list.split('\u0001').slice(0, -1));
  assert.equal(shellLists.length, texts.length);
  texts.forEach((text, i) => assert.deepEqual(splitWords(text), shellLists[i], JSON.stringify(text)));
});
