// Regenerates the README's report screenshot from a real run:
//   node bin/leakhunt.cjs compare --tasks fixtures/tasks/sixty-task-types.jsonl --html docs/compare.html -- python3 fixtures/import-leak.py
//   node scripts/screenshot.mjs docs/compare.html docs/report.png
// Needs Debian's chromium (or CHROMIUM_PATH) and the playwright-core dev dependency.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [html, png] = process.argv.slice(2);
if (!html || !png) {
  console.error('usage: node scripts/screenshot.mjs <report.html> <out.png>');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'leakhunt-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  viewport: { width: 1200, height: 900 },
});
try {
  const page = await context.newPage();
  await page.goto(`file://${resolve(html)}`);
  await page.screenshot({ path: png, fullPage: false });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
