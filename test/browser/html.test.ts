// The HTML report in a real browser: it renders charts and tables, logs no errors, runs no
// hostile script, and requests nothing but itself. Skipped, visibly, where no Chromium exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { renderHtml } from '../../src/report/html.js';
import { makeRun } from '../helpers/sample-run.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((path) => path && existsSync(path));
const SCREENSHOT = process.env.LEAKHUNT_SCREENSHOT || join(tmpdir(), 'leakhunt-report.png');
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];
const HOSTILE = '</script><svg onload=alert(1)><img src=x onerror=alert(2)>';

interface PageWatch {
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Opens `html` from a file and records console errors, page errors, requests and dialogs. */
async function open(context: BrowserContext, dir: string, name: string, html: string): Promise<{ page: Page; watch: PageWatch; url: string }> {
  const file = join(dir, name);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await context.newPage();
  const watch: PageWatch = { errors: [], requests: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text());
  });
  page.on('pageerror', (error) => watch.errors.push(error.message));
  page.on('request', (request) => watch.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
  return { page, watch, url };
}

function assertQuiet(watch: PageWatch, url: string): void {
  assert.deepEqual(watch.errors, [], 'no console or page errors');
  assert.deepEqual(watch.requests, [url], 'no request but the file itself');
  assert.deepEqual(watch.dialogs, [], 'no script ran');
}

if (!CHROMIUM) {
  console.log('NOTICE: browser test skipped: no chromium found at /usr/bin/chromium (set CHROMIUM_PATH)');
  test.skip('HTML report in Chromium (skipped: no chromium found; set CHROMIUM_PATH)', () => {});
} else {
  test('the HTML report renders in Chromium, quietly and offline', { timeout: 60_000 }, async () => {
    const profile = mkdtempSync(join(tmpdir(), 'leakhunt-chromium-'));
    const pages = mkdtempSync(join(tmpdir(), 'leakhunt-html-'));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000, viewport: { width: 1200, height: 900 },
      });

      const run = makeRun({ tasks: 120 });
      const single = await open(context, pages, 'run.html', renderHtml(run));
      const page = single.page;
      assert.equal(await page.locator('#chart-memory g.series').count(), 3);
      assert.ok((await page.locator('#chart-memory polyline').count()) >= 3);
      assert.ok((await page.locator('#chart-memory .hover rect title').count()) >= 50);
      const box = await page.locator('#chart-memory').boundingBox();
      assert.ok(box && box.width > 600 && box.height > 200, `chart box ${JSON.stringify(box)}`);
      assert.equal((await page.locator('.verdict .badge').textContent())?.trim(), 'Leak');
      const taskRows = await page.locator('#tasks tbody tr:not(.gap)').count();
      assert.ok(taskRows >= 20 && taskRows <= 30, `${taskRows} task rows`);
      assert.equal(await page.locator('#processes tbody tr').count(), 2);
      assert.equal(await page.locator('#attribution tbody tr').count(), 2);
      const summary = await page.locator('#leakhunt-summary').textContent();
      assert.equal(JSON.parse(summary ?? '{}').verdict.status, 'leak');
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      assert.ok(statSync(SCREENSHOT).size > 20_000, 'a screenshot with content');
      console.log(`screenshot: ${SCREENSHOT}`);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('#chart-memory .hover').evaluate((g) => getComputedStyle(g).display), 'none');
      assertQuiet(single.watch, single.url);

      const comparison = await open(context, pages, 'compare.html', renderHtml(makeRun({ modes: ['in-process', 'isolated', 'recycle:10'] })));
      assert.equal(await comparison.page.locator('#chart-modes-held g.series').count(), 3);
      assert.equal(await comparison.page.locator('#chart-modes-tree g.series').count(), 3);
      assert.equal(await comparison.page.locator('table.modes tbody tr').count(), 3);
      await comparison.page.screenshot({ path: SCREENSHOT.replace(/(\.png)?$/, '-compare.png'), fullPage: true });
      assertQuiet(comparison.watch, comparison.url);

      const hostileRun = makeRun({ names: [HOSTILE, '=HYPERLINK("http://evil.example","x")'], commands: [`node ${HOSTILE}`, 'python3 a\u2028b'] });
      hostileRun.command = ['node', HOSTILE];
      const hostile = await open(context, pages, 'hostile.html', renderHtml(hostileRun));
      assert.equal(await hostile.page.locator('[onload], [onerror], img').count(), 0);
      assert.equal(await hostile.page.locator('script').count(), 1);
      assert.ok((await hostile.page.locator('#tasks tbody').textContent())?.includes(HOSTILE), 'the name shows as text');
      assertQuiet(hostile.watch, hostile.url);
    } finally {
      await context?.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
      rmSync(pages, { recursive: true, force: true });
    }
  });
}
