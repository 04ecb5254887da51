// End-to-end: trust between desks, tried as a rival partner and a forger
// would, through the page's own download and upload controls. A partner's
// file touches only its own deals; ids never meet, so a genuine decision
// never lands on another deal; the vendor key a partner trusts survives the
// demo, a backup and starting over, and changes only by the partner's choice.
// (Two tabs at once: tabs.test.mjs.)
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { downloadFrom, openApp, registerThroughForm, setUpDesk, storedDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

/** A forger's Ed25519 public key, in base64 as programmes name keys. */
function forgersKey() {
  const { publicKey } = generateKeyPairSync('ed25519');
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
}

const stored = (page) => page.evaluate(() => localStorage.getItem('dealreg.workspace'));
const trusted = (page) => page.evaluate(() => localStorage.getItem('dealreg.trust'));

/** Registers a deal through the partner's form; its id. */
async function register(page, customer) {
  await registerThroughForm(page, customer, 'Submit registration');
  const toast = page.locator('.toast.shown').getByText(/submitted: send it/);
  await toast.waitFor();
  return (await toast.textContent()).split(' ')[0];
}

test('a rival partner\'s well-formed file cannot withdraw another partner\'s approved deal', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  const target = (await storedDesk(v)).registrations.find((r) => r.partnerId === 'p-nordlys' && ['approved', 'extended'].includes(r.status));
  assert.ok(target, 'the demo has an approved deal of Nordlys');

  // Lagom writes its submission file, then adds Nordlys's deal as its own, withdrawn.
  const rival = await openApp(suite.browser, suite.url);
  const r = rival.page;
  await setUpDesk(r, { partner: 'p-lagom' });
  await r.click('nav a[href="#files"]');
  const file = await downloadFrom(r, r.getByRole('button', { name: 'Export submission file' }));
  const submission = JSON.parse(file.buffer.toString());
  submission.registrations.push({ ...target, partnerId: 'p-lagom', status: 'withdrawn', revision: 99, notes: 'customer went elsewhere' });

  await v.click('nav a[href="#files"]');
  const before = await stored(v);
  await v.setInputFiles('#submission-files', { ...file, buffer: Buffer.from(JSON.stringify(submission, null, 2)) });
  const line = v.locator('.import-log li.failed');
  await line.getByText(/refused, nothing from it was imported/).waitFor();
  assert.match(await line.textContent(), new RegExp(`${target.id} is a registration of Nordlys IT AS, not of the sender Lagom Nätverk AB`));
  assert.equal(await stored(v), before, 'the vendor\'s desk is byte for byte as it was');
  assert.deepEqual([...vendor.errors, ...rival.errors], []);
});

test('a desk started again never reuses an id, so the vendor\'s decision on the old deal lands nowhere', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  const partner = await openApp(suite.browser, suite.url);
  const p = partner.page;
  await setUpDesk(p, { partner: 'p-nordlys' });

  const first = await register(p, 'Fjordbris Verft AS');
  await p.click('nav a[href="#files"]');
  await v.click('nav a[href="#files"]');
  await v.setInputFiles('#submission-files', await downloadFrom(p, p.getByRole('button', { name: 'Export submission file' })));
  await v.locator('.import-log').getByText(/1 added/).waitFor();
  await v.selectOption('#decisions-partner', 'p-nordlys');
  const decisions = await downloadFrom(v, v.getByRole('button', { name: 'Export decision file' }));

  // The partner starts an empty desk, loads its data again and registers another customer.
  await p.getByRole('button', { name: 'Start an empty desk' }).click();
  await p.getByRole('dialog').getByRole('button', { name: 'Start an empty desk' }).click();
  await p.locator('.toast.shown').getByText('This desk is empty now').waitFor();
  await setUpDesk(p, { partner: 'p-nordlys' });
  const second = await register(p, 'Hardanger Kraft AS');
  assert.notEqual(second, first, 'ids are random, never counted');

  const before = await storedDesk(p);
  await p.click('nav a[href="#files"]');
  await p.setInputFiles('#decision-file', decisions);
  await p.locator('.import-log li').first().getByText(new RegExp(`"${first}" is not a registration on this desk`)).waitFor();
  const after = await storedDesk(p);
  // The file is the vendor's word on this partner's other deals and leads,
  // which it updates; the decision on the old deal lands on none.
  const mine = (ws) => ws.registrations.find((x) => x.id === second);
  assert.deepEqual(mine(after), mine(before), 'the new deal is submitted, unprotected, as it was');
  assert.equal(mine(after).status, 'submitted');
  assert.ok(!after.audit.some((e) => e.action === 'decision' && e.detail.includes(second)), 'no decision on it was recorded');
  // Read again, the file changes nothing at all: the stored desk is byte for byte as it was.
  const stored1 = await stored(p);
  await p.setInputFiles('#decision-file', decisions);
  await p.locator('.import-log li').nth(1).waitFor();
  assert.equal(await stored(p), stored1);
  assert.deepEqual([...vendor.errors, ...partner.errors], []);
});

test('the trusted vendor key survives the demo, a backup and starting over; a forged decision is refused', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#files"]');
  await v.getByRole('button', { name: 'Make the signing key' }).click();
  await v.locator('.toast.shown').getByText('Signing key made').waitFor();
  const key = (await v.locator('#public-key').textContent()).trim();
  const programme = await downloadFrom(v, v.getByRole('button', { name: 'Export programme file' }));
  await v.selectOption('#decisions-partner', 'p-nordlys');
  const genuine = await downloadFrom(v, v.getByRole('button', { name: 'Export decision file' }));

  const partner = await openApp(suite.browser, suite.url);
  const p = partner.page;
  await setUpDesk(p, { partner: 'p-nordlys' });
  await p.click('nav a[href="#files"]');
  await p.setInputFiles('#programme-file-input', programme);
  await p.getByRole('dialog').getByRole('button', { name: 'Adopt this programme' }).click();
  await p.locator('.toast.shown').getByText('adopted').waitFor();
  const anchor = await trusted(p);
  assert.equal(JSON.parse(anchor).vendorKey, key);
  await p.locator('#trusted-key').waitFor();

  // The demo (whose programme names no key), a backup naming a forger's key, and starting over.
  await p.getByRole('button', { name: 'Load the demo data' }).click();
  await p.getByRole('dialog').getByRole('button', { name: 'Load the demo data' }).click();
  await p.locator('.toast.shown').getByText('Demo loaded').waitFor();
  assert.equal(await trusted(p), anchor);
  const backup = JSON.parse((await downloadFrom(p, p.getByRole('button', { name: 'Export backup' }))).buffer.toString());
  backup.programme.vendorKey = forgersKey();
  await p.setInputFiles('#backup-file', { name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(backup)) });
  await p.getByRole('dialog').getByRole('button', { name: 'Replace this desk' }).click();
  await p.locator('.toast.shown').getByText('Backup restored').waitFor();
  assert.equal(await trusted(p), anchor);
  await p.locator('#trusted-key').getByText(key.slice(0, 8)).waitFor();

  // An unsigned decision file that recalls every lead: refused, the desk byte for byte as it was.
  const forged = JSON.parse(genuine.buffer.toString());
  delete forged.signature;
  forged.leads = [];
  const before = await stored(p);
  await p.setInputFiles('#decision-file', { ...genuine, buffer: Buffer.from(JSON.stringify(forged, null, 2)) });
  await p.getByRole('alert').getByText(/\$\.signature: is missing/).waitFor();
  assert.equal(await stored(p), before);

  // Starting over keeps it too; the genuine file, which gained CRLF line endings in a mail client, goes in.
  await p.getByRole('button', { name: 'Start an empty desk' }).click();
  await p.getByRole('dialog').getByRole('button', { name: 'Start an empty desk' }).click();
  await p.locator('.toast.shown').getByText('This desk is empty now').waitFor();
  assert.equal(await trusted(p), anchor);
  await setUpDesk(p, { partner: 'p-nordlys' });
  await p.click('nav a[href="#files"]');
  const travelled = programme.buffer.toString().replace(/\n/g, '\r\n') + '\r\n';
  await p.setInputFiles('#programme-file-input', { ...programme, buffer: Buffer.from(travelled) });
  await p.getByRole('dialog').getByRole('button', { name: 'Adopt this programme' }).click();
  await p.locator('.toast.shown').getByText('adopted').waitFor();
  assert.deepEqual([...vendor.errors, ...partner.errors], []);
});

test('a new vendor key is trusted only after the partner compares both keys', async () => {
  const makeVendor = async () => {
    const vendor = await openApp(suite.browser, suite.url);
    await setUpDesk(vendor.page);
    await vendor.page.click('nav a[href="#files"]');
    await vendor.page.getByRole('button', { name: 'Make the signing key' }).click();
    await vendor.page.locator('.toast.shown').getByText('Signing key made').waitFor();
    const key = (await vendor.page.locator('#public-key').textContent()).trim();
    return { ...vendor, key, programme: await downloadFrom(vendor.page, vendor.page.getByRole('button', { name: 'Export programme file' })) };
  };
  const old = await makeVendor();
  const moved = await makeVendor(); // the vendor's new key, after a lost laptop

  const partner = await openApp(suite.browser, suite.url);
  const p = partner.page;
  await setUpDesk(p, { partner: 'p-nordlys' });
  await p.click('nav a[href="#files"]');
  await p.setInputFiles('#programme-file-input', old.programme);
  await p.getByRole('dialog').getByRole('button', { name: 'Adopt this programme' }).click();
  await p.locator('.toast.shown').getByText('adopted').waitFor();

  // Signed with another key: refused, saying what to do if the vendor's key really changed.
  await p.setInputFiles('#programme-file-input', moved.programme);
  await p.getByRole('alert').getByText(/trust the new key in Files, Vendor key/).waitFor();
  const anchor = await trusted(p);

  // Cancelled: nothing changes. Confirmed: the new key is trusted, and its programme adopted.
  await p.setInputFiles('#trust-key-input', moved.programme);
  let dialog = p.getByRole('dialog');
  await dialog.getByText(`Trusted now: ${old.key.slice(0, 8)}`).waitFor();
  await dialog.getByText(`In its place: ${moved.key.slice(0, 8)}`).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await trusted(p), anchor);
  await p.setInputFiles('#trust-key-input', moved.programme);
  dialog = p.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Trust the new key' }).click();
  await p.locator('.toast.shown').getByText(/now trusts .* key/).waitFor();
  assert.equal(JSON.parse(await trusted(p)).vendorKey, moved.key);
  await p.getByRole('dialog').getByRole('button', { name: 'Adopt this programme' }).click();
  await p.locator('.toast.shown').getByText('adopted').waitFor();
  const audit = (await storedDesk(p)).audit.at(-2);
  assert.equal(audit.action, 'trustKey');
  assert.match(audit.detail, new RegExp(`in place of ${old.key.replace(/[+/]/g, '\\$&')}`));
  assert.deepEqual([...old.errors, ...moved.errors, ...partner.errors], []);
});
