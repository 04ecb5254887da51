// End-to-end: big files are read, checked and imported in the page's worker,
// with progress and a way to cancel; cancelled, the desk is as it was. (The
// longest task on the page's thread is a benchmark: bench/longtasks.mjs.)
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bigBackup, openApp, setUpDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();
let folder = '';
before(async () => { folder = await mkdtemp(join(tmpdir(), 'dealreg-longwork-')); });
after(() => rm(folder, { recursive: true }));

const stored = (page) => page.evaluate(() => localStorage.getItem('dealreg.workspace'));

test('a backup of 20,000 registrations is restored with progress; cancelled first, nothing changes', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  page.setDefaultTimeout(120_000);
  await setUpDesk(page);
  await page.click('nav a[href="#files"]');
  // Chosen from disk, as a person does.
  const path = join(folder, 'backup.json');
  await writeFile(path, JSON.stringify(await bigBackup(20_000)));
  const before = await stored(page);

  await page.setInputFiles('#backup-file', path);
  const progress = page.locator('#progress');
  await progress.getByText(/Reading and checking \d+ MB/).waitFor();
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await page.locator('.toast.shown').getByText('Cancelled: the desk is as it was').waitFor();
  assert.equal(await stored(page), before, 'cancelled, the stored desk is byte for byte as it was');
  assert.equal(await page.locator('dialog').count(), 0);

  await page.setInputFiles('#backup-file', path);
  const dialog = page.getByRole('dialog').filter({ hasText: 'Replace this desk?' });
  await dialog.getByText(/is a vendor desk: .* with 20000 registrations/).waitFor();
  await dialog.getByRole('button', { name: 'Replace this desk' }).click();
  await page.locator('.toast.shown').getByText('Backup restored: 20000 registrations').waitFor();
  // Drawn from the overview: the Files page shows the restored desk at once.
  assert.match(await page.locator('main .card', { hasText: 'Back up this desk' }).textContent(), /20000 registrations/);
  const restored = await page.evaluate(async () => (await import('./js/desk.js')).overview().registrations);
  assert.equal(restored, 20_000);
  // Kept: a reload opens it.
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.evaluate(async () => (await import('./js/desk.js')).overview().registrations), 20_000);
  assert.deepEqual(errors, []);
});
