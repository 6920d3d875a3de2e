// Streamed writers produce a report in pieces (a row, a line); these are gathered into chunks so a
// file of a million rows is written with a few hundred writes and never held whole in memory.

/** A file's contents as a writer produces them: the whole text, or a streamed writer's chunks. */
export type FileData = string | Uint8Array | Iterable<string>;

/** Chunks are about this many characters. */
export const CHUNK_CHARS = 64 * 1024;

/** The same text as the pieces joined, handed out in chunks of about CHUNK_CHARS. */
export function* batched(pieces: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
