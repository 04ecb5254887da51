// End-to-end: the served page in headless Chromium, driven as a person would.
// Setting up a desk, the backup round trip, partner desks, reloads, other tabs,
// and hosting under a sub-path.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openApp, ROOT, serve, setUpDesk, storedDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();
/** The demo data set the page loads. */
const DEMO = JSON.parse(await readFile(`${ROOT}/www/demo/dataset.json`, 'utf8'));

/** Rows in the registrations table, after going there. */
async function registrationRows(page) {
  await page.click('nav a[href="#registrations"]');
  await page.waitForSelector('main h1:text("Registrations")');
  return page.locator('main tbody tr').count();
}

/** Clicks Export backup and returns the downloaded file's name and text. */
async function exportBackup(page) {
  await page.click('nav a[href="#files"]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export backup' }).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

test('a vendor sets up a desk with the demo, and a backup brings it back after storage is cleared', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await page.waitForSelector('h1:text("Set up this desk")');
  await setUpDesk(page);
  assert.equal(await page.textContent('#role'), 'Vendor desk: Auroral Networks');
  assert.equal(await registrationRows(page), DEMO.registrations.length);

  const backup = await exportBackup(page);
  assert.match(backup.name, /^dealreg-backup-vendor-\d{4}-\d{2}-\d{2}\.json$/);
  const parsed = JSON.parse(backup.text);
  assert.equal(parsed.format, 'dealreg.workspace');
  assert.equal(parsed.registrations.length, DEMO.registrations.length);
  assert.deepEqual(parsed.audit.map((e) => e.action), ['chooseRole', 'loadDataset', 'expire']);

  // Clear the browser's storage: the page starts from scratch.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('h1:text("Set up this desk")');
  assert.equal(await page.textContent('#role'), 'No role yet');

  // Restore from the first screen's file picker.
  await page.setInputFiles('#setup-restore', { name: backup.name, mimeType: 'application/json', buffer: Buffer.from(backup.text) });
  await page.waitForSelector('.toast.shown:has-text("Backup restored: 109 registrations")');
  assert.equal(await page.textContent('#role'), 'Vendor desk: Auroral Networks');

  // After a reload the desk is the same, byte for byte.
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  assert.equal(await registrationRows(page), DEMO.registrations.length);
  assert.equal((await exportBackup(page)).text, backup.text);
  assert.deepEqual(errors, []);
});

test('restoring over a desk that holds data asks first, and Cancel changes nothing', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  const before = await exportBackup(page);
  const other = JSON.parse(before.text);
  other.registrations = other.registrations.slice(0, 5);
  const file = { name: 'five.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(other)) };

  await page.setInputFiles('#backup-file', file);
  await page.waitForSelector('dialog:has-text("Replace this desk?")');
  assert.match(await page.textContent('dialog'), /5 registrations.*holds 109 registrations/s);
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await exportBackup(page)).text, before.text);

  await page.setInputFiles('#backup-file', file);
  await page.getByRole('dialog').getByRole('button', { name: 'Replace this desk' }).click();
  await page.waitForSelector('.toast.shown:has-text("Backup restored: 5 registrations")');
  assert.equal(await registrationRows(page), 5);
  assert.deepEqual(errors, []);
});

test('a partner desk holds only that partner\'s records and survives a reload', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page, { partner: 'p-nordlys' });
  assert.equal(await page.textContent('#role'), 'Partner desk: Nordlys IT AS');
  const rows = await registrationRows(page);
  assert.ok(rows > 0 && rows < DEMO.registrations.length, `${rows} rows`);
  // A partner sees no partner column: every row is theirs.
  assert.equal(await page.locator('main thead th:text-is("Partner")').count(), 0);

  await page.reload();
  await page.waitForSelector('main h1:text("Registrations")');
  assert.equal(await page.locator('main tbody tr').count(), rows);
  const backup = JSON.parse((await exportBackup(page)).text);
  assert.deepEqual(backup.role, { kind: 'partner', partnerId: 'p-nordlys' });
  assert.ok(backup.registrations.every((r) => r.partnerId === 'p-nordlys'));
  assert.deepEqual(errors, []);
});

test('searching and filtering the registrations narrows the table', async () => {
  const { page } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  await registrationRows(page);
  await page.fill('input[type="search"]', 'volvo');
  const names = await page.locator('main tbody tr td:nth-child(2) > div:first-child').allTextContents();
  assert.ok(names.length >= 2 && names.every((n) => /volvo/i.test(n)), names.join(' | '));
  await page.fill('input[type="search"]', '');
  await page.selectOption('main select', 'approved');
  const statuses = await page.locator('main tbody .badge').allTextContents();
  assert.ok(statuses.length > 0 && statuses.every((s) => s === 'Approved'), statuses.join(','));
});

test('starting an empty desk asks first, then lets the role be chosen again', async () => {
  const { page } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  await page.click('nav a[href="#files"]');
  await page.locator('main').getByRole('button', { name: 'Start an empty desk' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start an empty desk' }).click();
  await page.waitForSelector('.toast.shown:has-text("This desk is empty now.")');
  // The first screen again: a vendor's start, an invitation, or the demo.
  await page.locator('#start-vendor').waitFor();
  const ws = await storedDesk(page);
  assert.equal(ws.role, null);
  assert.deepEqual(ws.audit.map((e) => e.action), ['reset']);
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  await setUpDesk(page, { partner: 'p-lagom' });
  assert.equal(await page.textContent('#role'), 'Partner desk: Lagom Nätverk AB');
});

test('a change made in another tab shows in this one', async () => {
  const first = await openApp(suite.browser, suite.url);
  await setUpDesk(first.page);
  const second = await openApp(suite.browser, suite.url, first.context);
  assert.equal(await registrationRows(second.page), DEMO.registrations.length);

  await first.page.click('nav a[href="#files"]');
  await first.page.locator('main').getByRole('button', { name: 'Start an empty desk' }).click();
  await first.page.getByRole('dialog').getByRole('button', { name: 'Start an empty desk' }).click();
  await second.page.locator('#start-vendor').waitFor();
});

test('the page works from a sub-path of any static host', async () => {
  // Serve the repository root, so the page lives at /www/.
  const rootServer = await serve({ directory: '.' });
  try {
    const { page, errors } = await openApp(suite.browser, `${rootServer.url}/www`);
    await setUpDesk(page);
    assert.equal(await registrationRows(page), DEMO.registrations.length);
    assert.deepEqual(errors, []);
  } finally {
    rootServer.stop();
  }
});
