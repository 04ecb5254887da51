// End-to-end: bad input gets a clear message and loses nothing. A corrupted
// stored desk, foreign and malformed backup files, and markup in names.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ROOT, openApp, setUpDesk, storedDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

const KEY = 'dealreg.workspace';
const stored = (page) => page.evaluate((key) => localStorage.getItem(key), KEY);
const file = (name, text) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });

test('a corrupted stored desk is reported, kept, downloadable, and set aside on starting over', async () => {
  const { page } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  const good = await stored(page);
  const corrupt = good.slice(0, Math.floor(good.length / 2));
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [KEY, corrupt]);
  await page.reload();

  await page.waitForSelector('h1:text("The desk in this browser cannot be read")');
  const text = await page.textContent('main');
  assert.match(text, /the desk stored in this browser is not valid: \$: cannot be read: .*; it was changed outside dealreg, or damaged/);
  assert.match(text, /Nothing has been changed or deleted/);
  assert.equal(await stored(page), corrupt, 'opening must not touch the stored value');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download what is stored' }).click(),
  ]);
  assert.equal(await readFile(await download.path(), 'utf8'), corrupt);

  await page.getByRole('button', { name: 'Start an empty desk' }).click();
  await page.waitForSelector('h1:text("Set up this desk")');
  const aside = await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('dealreg.workspace.set-aside.')).map((k) => localStorage.getItem(k)));
  assert.deepEqual(aside, [corrupt]);
});

test('a desk kept as JSON (before the compact form) with bad fields names them', async () => {
  const { page } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  const desk = await storedDesk(page);
  desk.registrations[3].value = -10;
  desk.registrations[7].id = desk.registrations[6].id;
  const bad = JSON.stringify(desk);
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [KEY, bad]);
  await page.reload();
  await page.waitForSelector('h1:text("The desk in this browser cannot be read")');
  const problems = await page.locator('main .problems li').allTextContents();
  assert.deepEqual(problems.sort(), [
    '$.registrations[3].value must be a number 0 or more, got -10',
    `$.registrations[7].id "${desk.registrations[6].id}" is used twice`,
  ].sort());
  assert.equal(await stored(page), bad);
});

test('foreign and malformed backup files are refused with the reason, and the desk is unchanged', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  await page.click('nav a[href="#files"]');
  const before = await stored(page);
  const programme = await readFile(`${ROOT}/www/demo/programme.json`, 'utf8');
  const truncated = before.slice(0, 200);
  const future = JSON.stringify({ ...(await storedDesk(page)), version: 9 });
  const cases = [
    [file('programme.json', programme), /backup file is not valid: \$\.format: is "dealreg\.programme" \(that is a dealreg programme file\)/],
    [file('package.json', '{"name":"x","version":"1.0.0"}'), /\$\.format: is missing; expected "dealreg\.workspace"/],
    [file('broken.json', truncated), /backup file is not valid: \$: is not JSON/],
    [file('photo.json', '\u0089PNG\r\n'), /is not JSON/],
    [file('future.json', future), /\$\.version: is 9, written by a newer dealreg/],
  ];
  for (const [input, message] of cases) {
    await page.setInputFiles('#backup-file', input);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), message, input.name);
    assert.match(await alert.textContent(), new RegExp(`Restoring ${input.name.replace('.', '\\.')}`));
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await stored(page), before, `${input.name} changed the stored desk`);
  }
  assert.match(await page.locator('main .card', { hasText: 'Back up this desk' }).textContent(), /109 registrations, 240 leads, 5 campaigns/);
  assert.deepEqual(errors, []);
});

test('markup in names from a file is shown as text, never run', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  const desk = await storedDesk(page);
  const evil = '<img src=x onerror="window.__pwned=1"><b>Bold & Co</b>';
  desk.registrations[0].customer.name = evil;
  desk.programme.name = '<script>window.__pwned=2</script>Programme';
  await page.click('nav a[href="#files"]');
  await page.setInputFiles('#backup-file', file('evil.json', JSON.stringify(desk)));
  await page.getByRole('dialog').getByRole('button', { name: 'Replace this desk' }).click();
  await page.waitForSelector('.toast.shown');

  await page.click('nav a[href="#registrations"]');
  await page.fill('input[type="search"]', 'Bold');
  const cell = page.locator('main tbody tr td:nth-child(2) > div:first-child');
  assert.equal(await cell.textContent(), evil);
  assert.equal(await page.locator('main tbody img, main tbody b').count(), 0);
  assert.equal(await page.textContent('#programme-name'), '<script>window.__pwned=2</script>Programme');
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).__pwned), undefined);
  assert.deepEqual(errors, []);
});
