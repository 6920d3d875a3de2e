// One task type's traced runs for --allocations: how often it ran, which runs were traced, and
// what each traced run kept at each site. The same bookkeeping as leakhunt_allocations.py.

/** Repeats traced per type before tracing thins out (every 2nd run, then every 4th, ...). */
const MAX_TRACED_REPEATS = 32;
/** Sites written per type, the ones that kept most over the traced repeats; leakhunt shows 3. */
const SITES_WRITTEN = 30;
/** Sites remembered per type; past this the ones that kept least are forgotten. */
const SITES_KEPT = 2000;

export interface StackFrame {
  file: string;
  line: number;
  function: string;
}

export class TypeRuns {
  runs = 0;
  private stride = 1;
  /** Run numbers, ascending; the first run is always traced. */
  private traced: number[] = [];
  /** Site key → (run number → bytes kept). */
  private sites = new Map<string, Map<number, number>>();

  wants(run: number): boolean {
    return (run - 1) % this.stride === 0;
  }

  add(run: number, deltas: Map<string, number>): void {
    this.traced.push(run);
    for (const [key, delta] of deltas) {
      let perRun = this.sites.get(key);
      if (!perRun) this.sites.set(key, (perRun = new Map()));
      perRun.set(run, delta);
    }
    if (this.traced.length > MAX_TRACED_REPEATS + 1) this.thin();
    if (this.sites.size > SITES_KEPT) {
      const ranked = [...this.sites].sort((a, b) => Math.abs(total(b[1])) - Math.abs(total(a[1])));
      for (const [key] of ranked.slice(SITES_KEPT / 2)) this.sites.delete(key);
    }
  }

  /** Every other traced run goes: the kept ones stay evenly spread over the whole run. */
  private thin(): void {
    this.stride *= 2;
    this.traced = this.traced.filter((run) => (run - 1) % this.stride === 0);
    const kept = new Set(this.traced);
    for (const [key, perRun] of this.sites) {
      for (const run of perRun.keys()) if (!kept.has(run)) perRun.delete(run);
      if (perRun.size === 0) this.sites.delete(key);
    }
  }

  table(name: string, describe: (key: string) => StackFrame[]): object {
    const first = this.traced[0];
    // The sites that kept most over the repeats (the first run is warm-up, not evidence).
    const repeatTotal = (perRun: Map<number, number>): number => total(perRun) - (perRun.get(first ?? -1) ?? 0);
    const ranked = [...this.sites].sort((a, b) => repeatTotal(b[1]) - repeatTotal(a[1]));
    return {
      name,
      runs: this.runs,
      traced: [...this.traced],
      sites: ranked.slice(0, SITES_WRITTEN).map(([key, perRun]) => ({
        stack: describe(key),
        deltas: this.traced.map((run) => perRun.get(run) ?? 0),
      })),
    };
  }
}

function total(perRun: Map<number, number>): number {
  let sum = 0;
  for (const delta of perRun.values()) sum += delta;
  return sum;
}
