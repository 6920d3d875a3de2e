// watch --metrics, scraped by a real Prometheus server on loopback: the worker's RSS series
// arrives, and every scraped value is one leakhunt itself recorded in its JSON report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';

const prometheus = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).stdout.trim();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

if (!prometheus) {
  console.log('# NOTICE: prometheus not found — the Prometheus end-to-end test is skipped (apt-get install prometheus)');
  test('Prometheus scrapes leakhunt --metrics', { skip: 'no prometheus binary found' }, () => {});
} else {
  test('Prometheus scrapes leakhunt --metrics, and the values match the JSON report', { timeout: 90_000 }, async () => {
    const tmp = tempDir();
    const [metricsPort, promPort] = [await freePort(), await freePort()];
    writeFileSync(tmp.path('prometheus.yml'), [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: leakhunt',
      '    scrape_interval: 1s',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${metricsPort}']`,
      '',
    ].join('\n'));
    const server = spawn(prometheus, [
      `--config.file=${tmp.path('prometheus.yml')}`,
      `--storage.tsdb.path=${tmp.path('data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ], { stdio: 'ignore' });
    const api = `http://127.0.0.1:${promPort}/api/v1`;
    try {
      await waitFor('prometheus to start', async () => ((await fetch(`http://127.0.0.1:${promPort}/-/ready`)).ok ? true : null), 20_000);
      const run = await leakhunt([
        'watch', '-q', '--interval', '100ms', '--metrics', `127.0.0.1:${metricsPort}`, '--json', tmp.path('run.json'),
        '--', process.execPath, fixture('leaky.js'), String(1024 * 1024), '200', '8000',
      ], { timeoutMs: 30_000 });
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(readFileSync(tmp.path('run.json'), 'utf8'));
      const rootPid: number = report.samples[0].pid;
      const recorded = new Set<number>(report.samples.filter((s: { pid: number }) => s.pid === rootPid).map((s: { rssBytes: number }) => s.rssBytes));
      const query = encodeURIComponent(`leakhunt_process_resident_memory_bytes{pid="${rootPid}"}[2m]`);
      const values = await waitFor('the RSS series in prometheus', async () => {
        const body = (await (await fetch(`${api}/query?query=${query}`)).json()) as { data: { result: Array<{ values: [number, string][] }> } };
        const points = body.data.result[0]?.values ?? [];
        return points.length >= 2 ? points.map(([, v]) => Number(v)) : null;
      }, 30_000);
      for (const value of values) assert.ok(recorded.has(value), `scraped ${value} B was never recorded by leakhunt`);
      assert.ok(values.at(-1)! > values[0]!, 'the leaky worker grew between scrapes');
      // An instant query would race Prometheus: once the run has ended, the next failed scrape
      // marks every series of the target stale and a plain `leakhunt_verdict` returns nothing.
      const verdict = encodeURIComponent('last_over_time(leakhunt_verdict[2m])');
      const body = (await (await fetch(`${api}/query?query=${verdict}`)).json()) as { data: { result: unknown[] } };
      assert.equal(body.data.result.length, 4, 'one verdict series per status');
      // The per-command aggregate: one series for the worker's command line, one process in it.
      const command = encodeURIComponent('last_over_time(leakhunt_command_processes[2m])');
      const commands = (await (await fetch(`${api}/query?query=${command}`)).json()) as { data: { result: Array<{ metric: { command: string }; value: [number, string] }> } };
      assert.deepEqual(commands.data.result.map((r) => [r.metric.command, r.value[1]]), [[report.samples[0].command, '1']]);
    } finally {
      server.kill('SIGKILL');
      tmp.cleanup();
    }
  });
}
