// The few errors leakhunt knows how to explain. cli.ts maps them to exit codes;
// anything else is a bug and keeps its stack trace.

/** Bad flags, bad values, unreadable or malformed input files: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

/** The worker could not be started: 127 when not found, 126 when not executable. */
export class SpawnError extends Error {
  override name = 'SpawnError';
  constructor(
    message: string,
    readonly exitCode: 126 | 127,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** "cannot read (no such file)": the one wording for every input file leakhunt reads. */
export function cannotRead(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return `cannot read (${(code && READ_ERRORS[code]) ?? code ?? (error as Error).message})`;
}

export function isKnownError(error: unknown): error is UsageError | SpawnError {
  return error instanceof UsageError || error instanceof SpawnError;
}
