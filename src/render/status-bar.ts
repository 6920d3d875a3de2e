// The live status line on a terminal. The worker writes to the same terminal directly (it keeps
// its TTY), so leakhunt cannot interleave lines with its output. Instead, as apt does, it
// reserves the bottom row with a scroll region (DECSTBM): the worker's output scrolls above,
// and the status is redrawn in the last row without ever touching the worker's text.
import type { WriteStream } from 'node:tty';

export interface StatusBar {
  update(text: string): void;
  /** Restore the full scroll region and erase the status row. */
  close(): void;
}

const ESC = '\u001b';

export function createStatusBar(stream: WriteStream): StatusBar {
  let rows = stream.rows || 24;
  let last = '';
  let closed = false;
  const reserve = (): void => {
    // Scroll the screen up one line if the cursor sits in the last row, then limit scrolling to rows 1..rows-1.
    stream.write(`\n${ESC}[1A${ESC}7${ESC}[1;${rows - 1}r${ESC}8`);
  };
  const draw = (): void => {
    const width = Math.max(10, (stream.columns || 80) - 1);
    const text = last.length > width ? `${last.slice(0, width - 1)}…` : last;
    stream.write(`${ESC}7${ESC}[${rows};1H${ESC}[2K${text}${ESC}8`);
  };
  const onResize = (): void => {
    rows = stream.rows || rows;
    reserve();
    draw();
  };
  reserve();
  stream.on('resize', onResize);
  return {
    update(text) {
      if (closed) return;
      last = text;
      draw();
    },
    close() {
      if (closed) return;
      closed = true;
      stream.off('resize', onResize);
      stream.write(`${ESC}7${ESC}[r${ESC}[${rows};1H${ESC}[2K${ESC}8`);
    },
  };
}
