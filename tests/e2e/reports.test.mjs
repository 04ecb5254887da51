// End-to-end: the vendor's reports on the demo desk. Figures match the desk,
// each chart is an accessible SVG with its table, every table downloads as
// CSV, an earlier day reports less, and a name with markup in a chart stays text.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openApp, setUpDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

test('the reports show the desk in figures, charts with tables, and CSV of every table', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#reports"]');
  await v.waitForSelector('#registration-stats');
  const ws = await v.evaluate(() => JSON.parse(localStorage.getItem('dealreg.workspace')));
  const received = ws.registrations.filter((r) => r.receivedAt).length;
  const receivedShown = () => v.locator('#registration-stats .stat-value').first().textContent();
  assert.equal(await receivedShown(), String(received));

  // Four charts, each an SVG image named for screen readers, each with a table.
  const charts = v.locator('figure.chart-box svg[role="img"]');
  assert.equal(await charts.count(), 4);
  for (const title of ['Open pipeline by stage', 'Weighted forecast by month', 'Partner leaderboard', 'Campaign return']) {
    await v.locator('svg title', { hasText: title }).first().waitFor({ state: 'attached' });
  }
  assert.equal(await v.locator('table[data-report="partners"] tbody tr').count(), ws.programme.partners.length);

  // The campaigns table as CSV: a header and one row per campaign, as a spreadsheet reads it.
  const [download] = await Promise.all([v.waitForEvent('download'), v.click('button[data-csv="campaigns"]')]);
  const csv = (await readFile(await download.path(), 'utf8'));
  assert.ok(csv.startsWith('\uFEFFCampaign,Cost,Leads,Qualified,Opportunities,Won,Revenue,Return\r\n'));
  assert.equal(csv.trimEnd().split('\r\n').length, ws.campaigns.length + 1);
  for (const name of ['pipeline', 'forecast', 'partners', 'incentives-by-tier', 'incentives-by-kind']) {
    assert.equal(await v.locator(`button[data-csv="${name}"]`).count(), 1);
  }

  // As of an earlier day, fewer registrations were received.
  await v.fill('#report-day', '2026-08-01');
  await v.dispatchEvent('#report-day', 'change');
  await v.waitForFunction((n) => Number(document.querySelector('#registration-stats .stat-value')?.textContent) < n, received);
  assert.ok(Number(await receivedShown()) > 0);
  assert.deepEqual(vendor.errors, []);
});

test('a partner name with markup is text in the charts and tables', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#programme"]');
  const json = JSON.parse(await v.inputValue('textarea.json'));
  json.partners[0].name = '<img src=x onerror="window.pwned=1">Nordlys & Co';
  await v.fill('textarea.json', JSON.stringify(json, null, 2));
  await v.getByRole('button', { name: 'Save programme' }).click();
  await v.locator('.toast.shown').waitFor();
  await v.click('nav a[href="#reports"]');
  await v.waitForSelector('#registration-stats');
  await v.locator('svg text', { hasText: '<img src=x' }).first().waitFor({ state: 'attached' });
  assert.equal(await v.locator('main img').count(), 0, 'no element was made from the name');
  assert.equal(await v.evaluate(() => window.pwned), undefined);
  assert.match(await v.locator('table[data-report="partners"]').textContent(), /<img src=x onerror="window.pwned=1">Nordlys & Co/);
  assert.deepEqual(vendor.errors, []);
});
