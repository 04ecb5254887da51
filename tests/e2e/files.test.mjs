// End-to-end: signed files between two browser contexts (a vendor and a
// partner, each with its own storage) through the page's real download and
// upload controls; a decision file edited on the way is refused; many
// submission files at once; a programme hosted beside the page is adopted,
// and a newer one shows what changed.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { downloadFrom, launch, openApp, ROOT, saveProgramme, serve, setUpDesk, storedDesk, useServerAndBrowser, waitForStored } from './helpers.mjs';

const suite = useServerAndBrowser();
/** The demo data set the page loads. */
const DEMO = JSON.parse(await readFile(`${ROOT}/www/demo/dataset.json`, 'utf8'));

/** A vendor desk with the demo and a signing key, on its Files page. */
async function vendorWithKey(browser, url) {
  const vendor = await openApp(browser, url);
  await setUpDesk(vendor.page);
  await vendor.page.click('nav a[href="#files"]');
  await vendor.page.getByRole('button', { name: 'Make the signing key' }).click();
  await vendor.page.locator('.toast.shown').getByText('Signing key made').waitFor();
  return vendor;
}

const stored = (page) => page.evaluate(() => localStorage.getItem('dealreg.workspace'));

test('the vendor signs; the partner adopts the programme, and refuses a decision file edited on the way', async () => {
  const vendor = await vendorWithKey(suite.browser, suite.url);
  const v = vendor.page;
  const key = (await v.locator('#public-key').textContent()).trim();
  assert.match(key, /^[A-Za-z0-9+/]{43}=$/);
  const programme = await downloadFrom(v, v.getByRole('button', { name: 'Export programme file' }));
  assert.match(programme.name, /^auroral-advantage-2026-r2\.programme\.json$/);
  assert.equal(JSON.parse(programme.buffer.toString()).signature.key, key);

  // The partner reads it: what changes is shown before anything is adopted.
  const partner = await openApp(suite.browser, suite.url);
  const p = partner.page;
  await setUpDesk(p, { partner: 'p-nordlys' });
  await p.click('nav a[href="#files"]');
  await p.setInputFiles('#programme-file-input', programme);
  const dialog = p.getByRole('dialog');
  await dialog.getByText('revision 2 replaces revision 1').waitFor();
  assert.equal(await dialog.locator('ul.changes li').textContent(), `Vendor's signing key: none → ${key}`);
  await dialog.getByRole('button', { name: 'Adopt this programme' }).click();
  await p.locator('.toast.shown').getByText('Programme revision 2 adopted').waitFor();
  assert.match(await p.locator('#vendor-key').textContent(), /checked against its key/);

  // The partner sends its registrations; the vendor signs its decisions.
  const submission = await downloadFrom(p, p.getByRole('button', { name: 'Export submission file' }));
  await v.setInputFiles('#submission-files', submission);
  await v.locator('.import-log').getByText(/0 added, \d+ updated, \d+ unchanged/).waitFor();
  await v.selectOption('#decisions-partner', 'p-nordlys');
  const decisions = await downloadFrom(v, v.getByRole('button', { name: 'Export decision file' }));
  const text = decisions.buffer.toString();

  // One reason changed on the way: refused, with the reason, and the desk is unchanged.
  const before = await stored(p);
  const edited = text.replace('"reason": "Approved."', '"reason": "Approved!"');
  assert.notEqual(edited, text);
  await p.setInputFiles('#decision-file', { ...decisions, buffer: Buffer.from(edited) });
  const alert = p.getByRole('alert');
  await alert.getByText('does not match the file: it was changed after the vendor signed it, or forged').waitFor();
  assert.equal(await stored(p), before);

  // The file as the vendor wrote it goes in.
  await p.setInputFiles('#decision-file', decisions);
  await p.locator('.toast.shown').getByText(/Decisions read/).waitFor();
  assert.deepEqual([...vendor.errors, ...partner.errors], []);
});

test('the vendor reads many submission files at once; a bad one is refused alone', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  await setUpDesk(vendor.page);
  const files = [];
  for (const partnerId of ['p-nordlys', 'p-lagom']) {
    const partner = await openApp(suite.browser, suite.url);
    await setUpDesk(partner.page, { partner: partnerId });
    await partner.page.click('nav a[href="#files"]');
    files.push(await downloadFrom(partner.page, partner.page.getByRole('button', { name: 'Export submission file' })));
    await partner.context.close();
  }
  files.splice(1, 0, { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "dealreg.submission", "version": 2, ') });

  const v = vendor.page;
  await v.click('nav a[href="#files"]');
  await v.setInputFiles('#submission-files', files);
  await v.locator('.toast.shown').getByText('2 of 3 submission files read, 1 refused').waitFor();
  const lines = await v.locator('.import-log li').allTextContents();
  assert.equal(lines.length, 3);
  assert.match(lines[1], /^broken\.json: refused, nothing from it was imported: submission file is not valid: \$: is not JSON/);
  assert.match(await v.locator('#import-progress').textContent(), /Read 2 of 3 files; 1 refused/);
  assert.deepEqual(vendor.errors, []);
});

test('a partner invited to the vendor\'s site sees what a newer hosted programme changes, and refuses an edited one', async () => {
  const site = await mkdtemp(join(tmpdir(), 'dealreg-site-'));
  for (const entry of await readdir(join(ROOT, 'www'))) await symlink(join(ROOT, 'www', entry), join(site, entry));
  const server = await serve({ directory: site });
  const browser = await launch();
  try {
    const vendor = await vendorWithKey(browser, suite.url);
    const v = vendor.page;
    const publish = async () => {
      const { buffer } = await downloadFrom(v, v.getByRole('button', { name: 'Export programme file' }));
      await writeFile(join(site, 'programme.json'), buffer);
      return buffer;
    };
    // The vendor invites Nordlys, then publishes the programme as it now is.
    await v.click('nav a[href="#programme"]');
    await v.getByRole('button', { name: 'Invite Nordlys IT AS' }).click();
    const link = await v.locator('#invitation-link').inputValue();
    await v.getByRole('button', { name: 'Done' }).click();
    await v.click('nav a[href="#files"]');
    const first = await publish();

    // The site says what it publishes; the partner joins with the link, pasted.
    const partner = await openApp(browser, server.url);
    const p = partner.page;
    await p.locator('#setup-hosted').getByText('This site publishes Auroral Partner Advantage 2026/27 by Auroral Networks').waitFor();
    await p.fill('#setup-link', link);
    await p.getByRole('button', { name: 'Join', exact: true }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Join as Nordlys IT AS' }).click();
    await p.locator('#role').getByText('Partner desk: Nordlys IT AS').waitFor();
    // The hosted file is the revision the invitation carried: nothing to adopt.
    await p.reload();
    await p.waitForSelector('body[data-ready]');
    await p.waitForTimeout(500);
    assert.equal(await p.getByRole('dialog').count(), 0);

    // The vendor lengthens protection and publishes; the partner's next visit shows the change.
    await v.click('nav a[href="#programme"]');
    await v.getByLabel('Protection days').fill('120');
    await v.getByRole('button', { name: 'Save programme' }).click();
    await waitForStored(v, (ws) => ws.programme.protectionDays === 120);
    await v.click('nav a[href="#files"]');
    await publish();
    await p.reload();
    const dialog = p.getByRole('dialog');
    await dialog.getByText(/revision \d+ replaces revision \d+/).waitFor();
    assert.deepEqual(await dialog.locator('ul.changes li').allTextContents(), ['Protection window (days): 90 → 120']);
    await dialog.getByRole('button', { name: 'Adopt this programme' }).click();
    await p.locator('.toast.shown').getByText(/Programme revision \d+ adopted/).waitFor();
    assert.equal((await storedDesk(p)).programme.protectionDays, 120);

    // The site still hosting the older file says nothing: this desk holds a newer one.
    const genuine = await readFile(join(site, 'programme.json'), 'utf8');
    await writeFile(join(site, 'programme.json'), first);
    await p.reload();
    await p.waitForSelector('body[data-ready]');
    await p.waitForTimeout(500);
    assert.equal(await p.getByRole('alert').count(), 0);
    assert.equal(await p.getByRole('dialog').count(), 0);

    // A hosted file edited by someone else is refused, and the desk stays as it was.
    await writeFile(join(site, 'programme.json'), genuine.replace('"protectionDays": 120', '"protectionDays": 365'));
    const before = await stored(p);
    await p.reload();
    await p.getByRole('alert').getByText(/changed after the vendor Auroral Networks signed it/).waitFor();
    assert.equal(await stored(p), before);
    assert.deepEqual([...vendor.errors, ...partner.errors], []);
  } finally {
    await browser.close();
    server.stop();
    await rm(site, { recursive: true, force: true });
  }
});

test('registrations and leads download as CSV a spreadsheet opens right', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  await page.click('nav a[href="#registrations"]');
  const [withBom] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.match(withBom.suggestedFilename(), /^dealreg-registrations-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile(await withBom.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').slice(1).split('\r\n');
  assert.match(lines[0], /^Opportunity ID,Account Name,Website,Billing Country,/);
  assert.equal(lines.length, DEMO.registrations.length + 2); // the header, the rows, and the empty string after the last CRLF

  await page.click('nav a[href="#leads"]');
  await page.uncheck('#leads-csv-bom');
  const [plain] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const text = await readFile(await plain.path(), 'utf8');
  assert.match(text, /^Lead ID,Company,Website,First Name,Last Name,Email,/);
  assert.equal(text.split('\r\n').length, DEMO.leads.length + 2);
  assert.deepEqual(errors, []);
});

test('a partner signs its submissions once the vendor lists its key; an unsigned one is then refused', async () => {
  const partner = await openApp(suite.browser, suite.url);
  const p = partner.page;
  await setUpDesk(p, { partner: 'p-nordlys' });
  await p.click('nav a[href="#files"]');
  await p.getByRole('button', { name: 'Make the signing key' }).click();
  const key = (await p.locator('#public-key').textContent()).trim();
  const signed = await downloadFrom(p, p.getByRole('button', { name: 'Export submission file' }));
  assert.equal(JSON.parse(signed.buffer.toString()).signature.key, key); // signed already, checked once listed

  // The vendor lists the key in its roster (what an invitation does for a partner it invites).
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#programme"]');
  await v.getByLabel('Signing key of partner 1').fill(key);
  assert.deepEqual((await saveProgramme(v)).changes, [`Partner Nordlys IT AS, signing key: none → ${key}`]);
  assert.equal((await storedDesk(v)).programme.partners[0].signingKey, key);

  // Without the signature (as another browser of Nordlys without the key would send it): refused.
  await v.click('nav a[href="#files"]');
  const text = signed.buffer.toString();
  const stripped = `${text.slice(0, text.lastIndexOf(',\n  "signature"'))}\n}`;
  await v.setInputFiles('#submission-files', { ...signed, name: 'stripped.json', buffer: Buffer.from(stripped) });
  await v.locator('.import-log li.failed').getByText(/stripped\.json: refused, nothing from it was imported: .*\$\.signature: is missing/).waitFor();
  await v.setInputFiles('#submission-files', signed);
  await v.locator('.import-log li').first().getByText(/\d+ unchanged/).waitFor();
  assert.deepEqual([...partner.errors, ...vendor.errors], []);
});

test('a broken kept key leaves the desk working; the key file, locked with a passphrase, mends it', async () => {
  const vendor = await vendorWithKey(suite.browser, suite.url);
  const v = vendor.page;
  const passphrase = 'fjord maple window 42';
  // Two passphrases that differ export nothing.
  await v.getByRole('button', { name: 'Export key file' }).click();
  await v.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await v.getByLabel('The passphrase again').fill(`${passphrase}!`);
  await v.getByRole('dialog').getByRole('button', { name: 'Export key file' }).click();
  await v.getByRole('alert').getByText('The two passphrases differ').waitFor();
  await v.getByRole('button', { name: 'Export key file' }).click();
  await v.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await v.getByLabel('The passphrase again').fill(passphrase);
  const [keyFile] = await Promise.all([v.waitForEvent('download'), v.getByRole('dialog').getByRole('button', { name: 'Export key file' }).click()]);
  const key = await readFile(await keyFile.path(), 'utf8');
  const file = JSON.parse(key);
  assert.equal(file.locked.kdf, 'argon2id');
  assert.equal(file.locked.cipher, 'xchacha20poly1305');
  // The secret kept in this browser is not in the file as it is.
  const kept = await v.evaluate(() => JSON.parse(localStorage.getItem('dealreg.key') ?? '{}').secretKey);
  assert.ok(kept && !key.includes(kept), 'the key file holds the secret key sealed');

  await v.evaluate(() => localStorage.setItem('dealreg.key', localStorage.getItem('dealreg.key').replace('publicKey', 'publicKay')));
  await v.reload();
  await v.waitForSelector('body[data-ready]');
  assert.equal(await v.textContent('#role'), 'Vendor desk: Auroral Networks'); // the desk opens
  await v.click('nav a[href="#files"]');
  await v.locator('#signing-key .warning').getByText('cannot be read').waitFor();
  assert.equal(await v.getByRole('button', { name: 'Make the signing key' }).count(), 0);
  await v.getByRole('button', { name: 'Export decision file' }).click();
  await v.getByRole('alert').getByText('import the key file first').waitFor();

  // A wrong passphrase is refused as that, and changes nothing.
  await v.setInputFiles('#key-file', { name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(key) });
  await v.getByLabel('Passphrase').fill('fjord maple window 43');
  await v.getByRole('button', { name: 'Unlock and read' }).click();
  await v.getByRole('alert').getByText('the passphrase is not the one this key file was locked with').waitFor();
  await v.locator('#signing-key .warning').getByText('cannot be read').waitFor();
  await v.setInputFiles('#key-file', { name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(key) });
  await v.getByLabel('Passphrase').fill(passphrase);
  await v.getByRole('button', { name: 'Unlock and read' }).click();
  await v.locator('.toast.shown').getByText(/Signing key .* read/).waitFor();
  await v.locator('#public-key').waitFor();
  assert.deepEqual(vendor.errors, []);
});
