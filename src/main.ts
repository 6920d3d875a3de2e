// The bin's entry: settle leakhunt's own allocator first (this may re-execute the process in
// place, see allocator-tuning.ts), then load and run the CLI.
import { tuneOwnAllocator } from './allocator-tuning.js';

tuneOwnAllocator(process.argv.slice(2));
await import('./cli.js');
