// End-to-end: the programme sandbox on the demo. Protection 90 → 60 days in
// the same editor as the real programme: the side-by-side figures, the
// registration decided differently with both explanations, its CSV, and the
// real desk exactly as it was.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { bigBackup, openApp, setUpDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();
const stored = (page) => page.evaluate(() => localStorage.getItem('dealreg.workspace'));

test('the sandbox compares 90 and 60 days of protection and leaves the desk alone', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  const before = await stored(v);
  await v.click('nav a[href="#sandbox"]');
  await v.waitForSelector('#sandbox-work .programme-edit');
  await v.getByLabel('Protection days').fill('60');
  await v.getByRole('button', { name: 'Run the sandbox' }).click();
  await v.waitForSelector('#sandbox-sides');

  // Side by side: shorter protection expires more and protects less pipeline.
  const row = async (label) => (await v.locator('#sandbox-sides tr', { hasText: label }).locator('td').allTextContents());
  const [expiredA, expiredB] = (await row('Expired')).map(Number);
  assert.ok(expiredB > expiredA, `${expiredA} then ${expiredB}`);
  await v.locator('figure.chart-box svg[role="img"] title', { hasText: 'Programme A and programme B' }).waitFor({ state: 'attached' });

  // Sandvik's second registrant: rejected under A (the first still held it), approved under B.
  const diff = v.locator('#sandbox-differences tr', { hasText: 'SANDVIK AKTIEBOLAG' });
  assert.match(await diff.textContent(), /rejected.*Rejected.*approved.*Approved/s);

  const [download] = await Promise.all([v.waitForEvent('download'), v.click('#export-differences')]);
  const csv = await readFile(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFFRegistration,Partner,Customer,Value,A,A: why,B,B: why\r\n'));
  assert.match(csv, /R-0109,p-lagom,SANDVIK AKTIEBOLAG,11800,rejected,.*,approved,/);

  const [sides] = await Promise.all([v.waitForEvent('download'), v.click('#export-sides')]);
  assert.match(await readFile(await sides.path(), 'utf8'), new RegExp(`\r\nExpired,${expiredA},${expiredB}\r\n`));

  // One change after another on the same data: back to 90 days is programme A itself,
  // and 60 again gives what it gave the first time.
  await v.getByLabel('Protection days').fill('90');
  await v.getByRole('button', { name: 'Run the sandbox' }).click();
  await v.locator('#no-differences').waitFor();
  await v.getByLabel('Protection days').fill('60');
  await v.getByRole('button', { name: 'Run the sandbox' }).click();
  await diff.waitFor();
  assert.deepEqual((await row('Expired')).map(Number), [expiredA, expiredB]);

  // Nothing of it reached the desk: storage is byte for byte what it was.
  assert.equal(await stored(v), before);
  await v.click('nav a[href="#programme"]');
  assert.equal(await v.getByLabel('Protection days').inputValue(), '90');

  // The demo data as the sandbox's source runs too, against itself with no change.
  await v.click('nav a[href="#sandbox"]');
  await v.selectOption('#sandbox-source', 'demo');
  await v.getByText('on the demo data').waitFor();
  await v.getByRole('button', { name: 'Run the sandbox' }).click();
  await v.locator('#no-differences').waitFor();
  assert.equal(await stored(v), before);
  assert.deepEqual(vendor.errors, []);
});

test('a change that decides hundreds otherwise pages them, and exports them all', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#sandbox"]');
  await v.waitForSelector('#sandbox-work .programme-edit');
  await v.selectOption('#sandbox-source', 'file');
  const backup = JSON.stringify(await bigBackup(3000));
  await v.setInputFiles('#sandbox-file', { name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(backup) });
  await v.getByText('on big.json').waitFor();
  // A minimum deal value most of them are under.
  await v.getByLabel('Minimum deal value').fill('150000');
  await v.getByRole('button', { name: 'Run the sandbox' }).click();
  const heading = v.getByRole('heading', { name: /^Registrations decided differently \(\d+\)$/ });
  const differing = Number((await heading.textContent()).match(/\((\d+)\)/)[1]);
  assert.ok(differing > 500, `${differing} decided otherwise`);
  const rows = v.locator('#sandbox-differences tbody tr');
  assert.equal(await rows.count(), 100);
  await v.getByRole('button', { name: `Show 100 more differences (100 of ${differing} shown)` }).click();
  assert.equal(await rows.count(), 200);
  // Each row drawn is explained under both programmes (the second page asked for when shown).
  const why = await rows.nth(150).locator('td.small').allTextContents();
  assert.match(why[0], /^In review|^Approved|^Rejected/);
  assert.match(why[1], /^Rejected: deal value .* is below the minimum 150,000 EUR/);
  const [download] = await Promise.all([v.waitForEvent('download'), v.click('#export-differences')]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines.length, differing + 1, 'a header and every difference');
  assert.match(lines.at(-1), /,rejected,"?Rejected: deal value /, 'the last one explained too');
  assert.deepEqual(vendor.errors, []);
});

test('a file that is not a backup or a data set is named, and the data tried before stays', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#sandbox"]');
  await v.getByText('on this desk').waitFor();
  await v.selectOption('#sandbox-source', 'file');
  const demo = (name) => readFile(new URL(`../../www/demo/${name}`, import.meta.url));
  await v.setInputFiles('#sandbox-file', { name: 'programme.json', mimeType: 'application/json', buffer: await demo('programme.json') });
  const failure = v.locator('#sandbox-failure');
  assert.match(await failure.textContent(), /^programme\.json cannot be tried: .*that is a dealreg programme file/);
  // This desk's data is still there, and still runs.
  await v.getByText('on this desk').waitFor();
  assert.equal(await v.locator('#sandbox-source').inputValue(), 'desk');
  await v.getByLabel('Protection days').fill('60');
  await v.getByRole('button', { name: 'Run the sandbox' }).click();
  await v.waitForSelector('#sandbox-sides');

  // A data set file (no programme of its own) is tried under this desk's programme.
  await v.selectOption('#sandbox-source', 'file');
  await v.setInputFiles('#sandbox-file', { name: 'dataset.json', mimeType: 'application/json', buffer: await demo('dataset.json') });
  await v.getByText('on dataset.json').waitFor();
  assert.equal(await failure.count(), 0);
  await v.getByRole('button', { name: 'Run the sandbox' }).click();
  await v.locator('#no-differences').waitFor();
  assert.deepEqual(vendor.errors, []);
});
