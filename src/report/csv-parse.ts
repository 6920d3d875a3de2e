// A small RFC 4180 reader for the CSV files leakhunt writes: quoted fields, doubled quotes,
// CRLF or LF line ends, line breaks inside quoted fields.
//
// Cells come back exactly as written: a cell written as '=SUM(A1) reads back as '=SUM(A1), like
// any other csv parser returns it. decodeTextCell undoes the writer's formula prefix for a text
// column; it is exact because the writer prefixes every cell that starts with ' too (csv.ts).

export interface ParsedCsv {
  records: string[][];
  /**
   * false when the text does not end with a line break (or ends inside a quoted field): the
   * writer ends every row with CRLF, so the last record was cut short, e.g. by a crash, and is
   * left out of `records`.
   */
  complete: boolean;
}

/** Where the field starting at from ends: the next comma, LF or CRLF (a lone CR is text). */
function fieldEnd(text: string, from: number, delimiter: RegExp): number {
  delimiter.lastIndex = from;
  for (;;) {
    const next = delimiter.exec(text);
    if (!next) return text.length;
    if (next[0] !== '\r' || text[next.index + 1] === '\n') return next.index;
  }
}

export function parseCsv(text: string): ParsedCsv {
  const records: string[][] = [];
  const end = text.length;
  // Unquoted fields are sliced out whole between delimiters, many times faster than a
  // character at a time on a large samples file.
  const delimiter = /[,\r\n]/g;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte order mark some editors add
  let record: string[] = [];
  while (i < end) {
    let field = '';
    if (text[i] === '"') {
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) return { records, complete: false }; // cut inside a quoted field
        field += text.slice(from, quote);
        if (text[quote + 1] !== '"') {
          i = quote + 1;
          break;
        }
        field += '"';
        from = quote + 2;
      }
    }
    // Unquoted text, or (lenient) text after a closing quote, up to the delimiter.
    const stop = fieldEnd(text, i, delimiter);
    field += text.slice(i, stop);
    record.push(field);
    i = stop;
    if (i >= end) return { records, complete: false }; // the last line has no line break
    if (text[i] === ',') {
      i++;
      if (i >= end) return { records, complete: false };
      continue;
    }
    i += text[i] === '\r' ? 2 : 1;
    records.push(record);
    record = [];
  }
  return { records, complete: true };
}

/** A text cell as it was before the writer's formula prefix. */
export function decodeTextCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}
