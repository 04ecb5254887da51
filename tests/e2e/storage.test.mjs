// End-to-end: browser storage faults lose nothing. Storage full keeps the
// change in the tab and offers a backup; a stored desk damaged outside
// dealreg fails its check and the copy from before the last save restores
// it; a tab that did not see another tab's save cannot overwrite it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { emptyStorage, fillStorage, openApp, registerThroughForm, setUpDesk, storedDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

const KEY = 'dealreg.workspace';
const stored = (page) => page.evaluate((key) => localStorage.getItem(key), KEY);

const saveDraft = (page, customer) => registerThroughForm(page, customer);

test('storage full: the change stays in the tab, nothing stored is lost, and a backup is offered', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page, { partner: 'p-nordlys' });
  const before = await stored(page);
  // Fill the origin's storage with other keys until under 16 characters are left. (The
  // copy kept from before the last save gives way to the desk first: it goes too.)
  const fillers = await fillStorage(page);
  assert.ok(fillers > 0);

  await saveDraft(page, 'Fjordbris Verft AS');
  const alert = page.getByRole('alert');
  await alert.getByText('Not saved: this browser\'s storage for the page is full').waitFor();
  assert.match(await alert.textContent(), /nothing stored before was lost/);
  assert.equal(await stored(page), before, 'what was stored is untouched');
  // The draft is on the desk in this tab.
  await page.click('nav a[href="#registrations"]');
  await page.locator('main').getByText('Fjordbris Verft AS').first().waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), alert.getByRole('button', { name: 'Export a backup now' }).click()]);
  const backup = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.ok(backup.registrations.some((r) => r.customer.name === 'Fjordbris Verft AS'), 'the backup holds the unsaved draft');

  // Room again: the next change saves everything the tab holds.
  await emptyStorage(page, fillers);
  await saveDraft(page, 'Hardanger Kraft AS');
  await page.locator('.toast.shown').getByText(/saved as a draft/).waitFor();
  assert.equal(await page.getByRole('alert').count(), 0, 'saved again: the warning is gone');
  const names = (await storedDesk(page)).registrations.map((r) => r.customer.name);
  assert.ok(names.includes('Fjordbris Verft AS') && names.includes('Hardanger Kraft AS'), names.join(', '));
  assert.deepEqual(errors, []);
});

test('a stored desk damaged outside dealreg fails its check; the copy from before the last save restores it', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page, { partner: 'p-nordlys' });
  await saveDraft(page, 'Fjordbris Verft AS');
  await page.locator('.toast.shown').getByText(/saved as a draft/).waitFor();
  const good = await stored(page);
  // One character of the packed desk changed: not what dealreg saved.
  assert.match(good, /^dealreg:z1:\d+:\d+:/, 'kept compact');
  const middle = Math.floor(good.length / 2);
  const damaged = good.slice(0, middle) + (good[middle] === 'x' ? 'y' : 'x') + good.slice(middle + 1);
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [KEY, damaged]);
  await page.reload();
  await page.waitForSelector('h1:text("The desk in this browser cannot be read")');
  assert.match(await page.textContent('main'), /cannot be read: .*changed outside dealreg, or damaged/);
  assert.equal(await stored(page), damaged, 'opening must not touch the stored value');

  await page.getByRole('button', { name: 'Restore the copy from before the last save' }).click();
  await page.locator('.toast.shown').getByText('Restored the desk as it was before its last save.').waitFor();
  const restored = await storedDesk(page);
  // Before the last save: the demo desk, without the draft; the damaged one set aside.
  assert.ok(!restored.registrations.some((r) => r.customer.name === 'Fjordbris Verft AS'));
  assert.equal(restored.audit.at(-1).action, 'restore');
  const aside = await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('dealreg.workspace.set-aside.')).map((k) => localStorage.getItem(k)));
  assert.deepEqual(aside, [damaged]);
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  await page.click('nav a[href="#registrations"]');
  assert.deepEqual(errors, []);
});

test('a tab that did not see another tab\'s save reads the desk again before its change, which goes on top', async () => {
  const first = await openApp(suite.browser, suite.url);
  await setUpDesk(first.page, { partner: 'p-nordlys' });
  // The second tab never hears of the first one's saves, as if the event were lost.
  await first.context.addInitScript(() => window.addEventListener('storage', (e) => e.stopImmediatePropagation(), true));
  const second = await openApp(suite.browser, suite.url, first.context);

  await saveDraft(first.page, 'Fjordbris Verft AS');
  await first.page.locator('.toast.shown').getByText(/saved as a draft/).waitFor();
  await saveDraft(second.page, 'Hardanger Kraft AS');
  await second.page.locator('.toast.shown').getByText(/saved as a draft/).waitFor();
  const names = (await storedDesk(second.page)).registrations.map((r) => r.customer.name);
  assert.ok(names.includes('Fjordbris Verft AS') && names.includes('Hardanger Kraft AS'), names.join(', '));
  assert.equal(await second.page.getByRole('alert').count(), 0, 'nothing to refuse');
  assert.deepEqual([...first.errors, ...second.errors], []);
});
