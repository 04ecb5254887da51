// End-to-end: the vendor's reports on the demo desk. Figures match the desk,
// each chart is an accessible SVG with its table, every table downloads as
// CSV, an earlier day reports less, and a name with markup in a chart stays text.
// The fair-pricing audit flags the partner granted more than its tier without a
// reason, and its table of discounts exports for a compliance review.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openApp, programmeJson, setUpDesk, storedDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

test('the reports show the desk in figures, charts with tables, and CSV of every table', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#reports"]');
  await v.waitForSelector('#registration-stats');
  const ws = await storedDesk(v);
  const received = ws.registrations.filter((r) => r.receivedAt).length;
  const receivedShown = () => v.locator('#registration-stats .stat-value').first().textContent();
  assert.equal(await receivedShown(), String(received));

  // Five charts, each an SVG image named for screen readers, each with a table.
  const charts = v.locator('figure.chart-box svg[role="img"]');
  assert.equal(await charts.count(), 5);
  for (const title of ['Open pipeline by stage', 'Weighted forecast by month', 'Partner leaderboard', 'Campaign return', 'Average extra discount by partner']) {
    await v.locator('svg title', { hasText: title }).first().waitFor({ state: 'attached' });
  }
  assert.equal(await v.locator('table[data-report="partners"] tbody tr').count(), ws.programme.partners.length);

  // The campaigns table as CSV: a header and one row per campaign, as a spreadsheet reads it.
  const [download] = await Promise.all([v.waitForEvent('download'), v.click('button[data-csv="campaigns"]')]);
  const csv = (await readFile(await download.path(), 'utf8'));
  assert.ok(csv.startsWith('\uFEFFCampaign,Cost,Leads,Qualified,Opportunities,Won,Revenue,Return\r\n'));
  assert.equal(csv.trimEnd().split('\r\n').length, ws.campaigns.length + 1);
  for (const name of ['pipeline', 'forecast', 'partners', 'incentives-by-tier', 'incentives-by-kind', 'pricing-partners', 'pricing-grants']) {
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
  await (await programmeJson(v)).fill(JSON.stringify(json, null, 2));
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

test('the fair-pricing audit flags Gold terms without a reason, not a special price with one, and exports the discounts', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#reports"]');
  await v.waitForSelector('#pricing-stats');
  await v.getByRole('heading', { name: 'Fair pricing' }).waitFor();
  assert.equal(await v.locator('#pricing-stats .stat-value').first().textContent(), '1');
  assert.match(await v.locator('#pricing-stats .stat-note').first().textContent(), /beyond 0\.5 points/);

  // Tulip: flagged, marked, first, and why; Thames: its special price is reasoned.
  const partners = v.locator('table[data-report="pricing-partners"] tbody tr');
  const tulip = partners.filter({ hasText: 'Tulip Integrators B.V.' });
  assert.equal(await tulip.count(), 1);
  assert.match(await tulip.getAttribute('class'), /\bflagged\b/);
  assert.match(await partners.first().textContent(), /Tulip Integrators/, 'flagged partners come first');
  const why = await tulip.locator('td').last().textContent();
  assert.match(why, /^flagged .*points above the Silver tier's .* without a recorded reason \(/);
  const thames = partners.filter({ hasText: 'Thames Digital Ltd' });
  assert.equal(await thames.getAttribute('class'), null);
  assert.match(await thames.locator('td').last().textContent(), /each with a recorded reason/);
  assert.equal(await v.locator('table[data-report="pricing-partners"] tr.flagged').count(), 1);

  // The grants: Thames's special price, justified, with its reason.
  const special = v.locator('table[data-report="pricing-grants"] tbody tr', { hasText: 'Thames Digital Ltd' }).filter({ hasText: 'special price' });
  assert.equal(await special.count(), 1);
  const cells = await special.locator('td').allTextContents();
  assert.equal(cells[8], 'Competitive displacement; matched to the documented bid');
  assert.equal(cells[9], 'yes');
  assert.equal(await special.getAttribute('class'), null);
  assert.ok(await v.locator('table[data-report="pricing-grants"] tr.unjustified', { hasText: 'Tulip Integrators B.V.' }).count() >= 2);

  // The grants as CSV: one row per discount, the special price with its reason.
  const ws = await storedDesk(v);
  const [download] = await Promise.all([v.waitForEvent('download'), v.click('button[data-csv="pricing-grants"]')]);
  assert.match(download.suggestedFilename(), /^dealreg-report-pricing-grants-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\r\n');
  assert.equal(lines[0], '\uFEFFRegistration,Partner,Customer,Value,Kind,Tier,Points,Share,Reason,Justified,Granted,Expires');
  assert.equal(lines.length - 1, await v.locator('table[data-report="pricing-grants"] tbody tr').count());
  const thamesId = ws.programme.partners.find((p) => p.name === 'Thames Digital Ltd').id;
  const reg = ws.registrations.find((r) => r.partnerId === thamesId && r.requests?.some((q) => q.kind === 'specialPrice' && q.state === 'approved'));
  const row = lines.find((l) => l.startsWith(`${reg.id},`) && l.includes(',special price,'));
  assert.ok(row, `a special-price row for ${reg.id}`);
  assert.match(row, /,4,1,Competitive displacement; matched to the documented bid,yes,2026-10-16,2027-01-10$/);
  assert.deepEqual(vendor.errors, []);
});
