// Progress on stderr while a row runs: a full bench takes minutes, and a stuck row should show where.
export const progress = (text: string): void => void process.stderr.write(`bench:   ${text}\n`);
