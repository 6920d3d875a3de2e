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

export function parseCsv(text: string): ParsedCsv {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let fieldStarted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte order mark some editors add

  const endField = (): void => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = (): void => {
    endField();
    records.push(record);
    record = [];
  };

  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else inQuotes = false;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
    } else if (ch === ',') endField();
    else if (ch === '\n') endRecord();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endRecord();
      i++;
    } else {
      // Lenient: a stray quote inside an unquoted field, or text after a closing quote, is kept.
      field += ch;
      fieldStarted = true;
    }
  }
  const complete = !inQuotes && record.length === 0 && !fieldStarted && field === '';
  return { records, complete };
}

/** A text cell as it was before the writer's formula prefix. */
export function decodeTextCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}
