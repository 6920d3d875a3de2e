// Splits a byte stream into lines with a hard cap on what it holds: at most maxLine bytes of
// the current line, copied into one fixed buffer, whatever arrives. Pure (no I/O).

export interface LineSplitterOptions {
  /** Longest line kept, in bytes, without its line ending. */
  maxLine: number;
  onLine(line: string): void;
  /** Called once per line longer than maxLine; the line is dropped. */
  onOversized(): void;
}

export interface LineSplitter {
  push(chunk: Buffer): void;
  /** Flushes a last line that had no final newline. */
  end(): void;
}

const LF = 0x0a;
const CR = 0x0d;

export function createLineSplitter(options: LineSplitterOptions): LineSplitter {
  const { maxLine, onLine, onOversized } = options;
  // One byte more than maxLine, for the CR of a CRLF ending that arrives before its LF.
  const held = Buffer.allocUnsafe(maxLine + 1);
  let heldBytes = 0;
  let discarding = false;

  const append = (part: Buffer): void => {
    if (discarding) return;
    if (heldBytes + part.length > held.length) {
      discarding = true;
      heldBytes = 0;
      onOversized();
      return;
    }
    part.copy(held, heldBytes);
    heldBytes += part.length;
  };

  const finishLine = (): void => {
    if (discarding) {
      discarding = false;
      return;
    }
    const length = heldBytes > 0 && held[heldBytes - 1] === CR ? heldBytes - 1 : heldBytes;
    heldBytes = 0;
    if (length > maxLine) onOversized();
    else onLine(held.toString('utf8', 0, length));
  };

  return {
    push(chunk) {
      let from = 0;
      for (let newline = chunk.indexOf(LF, from); newline !== -1; newline = chunk.indexOf(LF, from)) {
        append(chunk.subarray(from, newline));
        finishLine();
        from = newline + 1;
      }
      if (from < chunk.length) append(chunk.subarray(from));
    },
    end() {
      if (heldBytes > 0 || discarding) finishLine();
    },
  };
}
