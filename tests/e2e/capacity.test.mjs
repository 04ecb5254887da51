// Capacity: a desk of 50,000 registrations is kept in Chromium's localStorage
// (5,242,879 UTF-16 units per origin: JSON text held about 7,000), survives a
// reload, and is whole. The desk is restored from a backup file the way a
// user would, through the setup screen's file input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigBackup, openApp, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();
const QUOTA = 5_242_879;

test('a desk of 50,000 registrations is kept in this browser\'s storage and reads back whole after a reload', async () => {
  const backup = await bigBackup(50_000);
  const file = join(await mkdtemp(join(tmpdir(), 'dealreg-')), 'big-backup.json');
  await writeFile(file, JSON.stringify(backup));
  const { page, errors } = await openApp(suite.browser, suite.url);
  page.setDefaultTimeout(180_000);
  await page.setInputFiles('#setup-restore', file);
  await page.locator('.toast.shown').getByText('Backup restored: 50000 registrations, 0 leads, 5 campaigns.').waitFor();
  assert.equal(await page.getByRole('alert').count(), 0, 'saved: no warning that storage is full');
  const used = await page.evaluate(() => Object.keys(localStorage).reduce((n, k) => n + k.length + localStorage.getItem(k).length, 0));
  assert.ok(used < QUOTA, `${used} of ${QUOTA} units`);

  await page.reload();
  await page.waitForSelector('body[data-ready]');
  await page.click('nav a[href="#registrations"]');
  await page.getByText('50000 in all').waitFor();
  // One page of rows at a time; the rest are a search away.
  assert.equal(await page.locator('tbody tr').count(), 200);
  const last = backup.registrations.at(-1);
  await page.getByLabel('Search registrations').fill(last.id);
  await page.getByText('1 of 50000').waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1);
  assert.match(await page.textContent('tbody tr'), new RegExp(last.customer.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // The review queue draws its cards (each explains its registration) a page at a time.
  const waiting = backup.registrations.filter((r) => r.status === 'inReview' || r.status === 'submitted').length;
  await page.click('nav a[href="#review"]');
  await page.getByRole('button', { name: `Show 20 more registrations (20 of ${waiting} shown)` }).click();
  await page.getByRole('button', { name: `Show 20 more registrations (40 of ${waiting} shown)` }).waitFor();
  assert.equal(await page.locator('main .paged').first().locator('.review-card').count(), 40);
  // Every registration came back as it went in.
  const stored = await page.evaluate(async () => {
    const pkg = await import('./pkg/dealreg.js');
    await pkg.default();
    return JSON.parse(/** @type {string} */ (pkg.Desk.storedText())).registrations.map((r) => `${r.id} ${r.customer.name} ${r.value}`);
  });
  assert.deepEqual(stored, backup.registrations.map((r) => `${r.id} ${r.customer.name} ${r.value}`));
  assert.deepEqual(errors, []);
});
