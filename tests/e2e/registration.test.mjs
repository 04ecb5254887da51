// End-to-end: a deal registration makes the whole trip. A partner fills the
// form and watches the live evaluation; the vendor reads the submission file,
// sees the registration in the review queue with its explanation, approves it;
// the partner reads the decision file and sees the protection date.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openApp, programmeJson, setUpDesk, storedDesk, useServerAndBrowser, waitForStored } from './helpers.mjs';

const suite = useServerAndBrowser();

/** Clicks a button that downloads a file; returns the file as an upload for another page. */
async function downloadFrom(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), mimeType: 'application/json', buffer: await readFile(await download.path()) };
}

const plusDays = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test('a partner registers, the vendor reviews and approves, the partner sees the protection', async () => {
  const partner = await openApp(suite.browser, suite.url);
  await setUpDesk(partner.page, { partner: 'p-nordlys' });
  const vendor = await openApp(suite.browser, suite.url);
  await setUpDesk(vendor.page);
  const p = partner.page;
  const v = vendor.page;

  // The partner fills the form; the evaluation follows every keystroke.
  await p.click('nav a[href="#register"]');
  const preview = p.locator('.preview');
  await assert.doesNotReject(preview.getByText('Name the customer and at least one product').waitFor());
  await p.getByLabel('Company name').fill('Fjord Shipping AS');
  await p.getByLabel('Company name').fill('');
  await p.getByText('must not be empty').waitFor(); // the field says what is wrong while typing
  await p.getByLabel('Company name').fill('Fjord Shipping AS');
  await p.getByLabel('Web domain or e-mail').fill('fjordshipping.no');
  await p.getByLabel('Quantity of NX edge router').fill('5');
  await p.getByLabel('Deal value').fill('4000');
  await preview.getByText('Would be rejected').waitFor();
  assert.match(await preview.locator('[data-rule="minimumValue"]').textContent(),
    /deal value 4,000 EUR is below the minimum 5,000 EUR.*Would pass: a deal value of at least 5,000 EUR/);
  await p.getByLabel('Deal value').fill('32000');
  await preview.getByText('Would go to review').waitFor();
  assert.match(await preview.locator('[data-rule="autoApprove"]').textContent(), /at or above the auto-approval limit 25,000 EUR/);
  assert.match(await preview.textContent(), new RegExp(`If approved, protected until ${plusDays(90)}`));

  // Submitting needs the close date: the form says so at the field.
  await p.getByRole('button', { name: 'Submit registration' }).click();
  await p.locator('[data-field="$.expectedClose"] .field-error').getByText('choose the expected close date').waitFor();
  await p.getByLabel('Expected close').fill(plusDays(120));
  await p.getByLabel('Stage').selectOption('price');
  await p.getByRole('button', { name: 'Submit registration' }).click();
  await p.waitForSelector('h1:has-text("Fjord Shipping AS") .badge:text("Submitted")');
  const id = (await p.locator('.registration .lead').textContent()).trim();
  assert.match(id, /^p-nordlys-[0-9a-hjkmnp-tv-z]{26}$/);

  await p.click('nav a[href="#files"]');
  const submission = await downloadFrom(p, p.getByRole('button', { name: 'Export submission file' }));
  assert.match(submission.name, /^dealreg-submission-p-nordlys-\d{4}-\d{2}-\d{2}\.json$/);

  // The vendor reads it: received now, evaluated, waiting in the review queue.
  await v.click('nav a[href="#files"]');
  await v.setInputFiles('#submission-files', submission);
  await v.locator('.import-log').getByText(/1 added, \d+ updated, \d+ unchanged/).waitFor();
  await v.click('nav a[href="#review"]');
  const card = v.locator(`.review-card[data-id="${id}"]`);
  await card.waitFor();
  assert.match(await card.textContent(), /Nordlys IT AS/);
  assert.match(await card.locator('[data-rule="autoApprove"]').textContent(), /32,000 EUR is at or above the auto-approval limit/);
  assert.equal(await card.locator('[data-rule="conflict"] .rule-icon').getAttribute('aria-label'), 'passed');

  // A decision needs a reason the partner can read.
  await card.getByRole('button', { name: 'Approve' }).click();
  await card.getByText('Give a reason: the partner reads it.').waitFor();
  await card.getByLabel('Decision, with the reason').fill('Strategic account for the north region.');
  await card.getByRole('button', { name: 'Approve' }).click();
  await v.locator('.toast.shown').getByText(`${id} approved.`).waitFor();
  assert.equal(await v.locator(`.review-card[data-id="${id}"]`).count(), 0);

  await v.click('nav a[href="#files"]');
  await v.selectOption('#decisions-partner', 'p-nordlys');
  const decisions = await downloadFrom(v, v.getByRole('button', { name: 'Export decision file' }));

  // The partner reads the decisions: approved, protected 90 days from the vendor's receipt.
  await p.setInputFiles('#decision-file', decisions);
  await p.locator('.toast.shown').getByText(/Decisions read: \d+ registrations updated/).waitFor();
  await p.goto(`${suite.url}/#registrations/${id}`);
  await p.waitForSelector('h1 .badge:text("Approved")');
  const page = await p.textContent('main');
  assert.match(page, new RegExp(`Protected until${plusDays(90)} \\(90 days left\\)`));
  assert.match(page, /Approved by vendor: Strategic account for the north region\./);
  // And "my registrations" shows the days left.
  await p.click('nav a[href="#registrations"]');
  assert.match(await p.locator(`tr[data-id="${id}"]`).textContent(), /Approved.*90 days left/);
  assert.deepEqual([...partner.errors, ...vendor.errors], []);
});

test('the vendor edits the programme; errors are shown at the field and nothing is saved', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  await page.click('nav a[href="#programme"]');
  await page.getByLabel('Protection days').fill('0');
  await page.getByLabel('Second registrant keeps (0–1)').fill('1.5');
  await page.getByRole('button', { name: 'Save programme' }).click();
  await page.locator('[data-field="$.protectionDays"].invalid').getByText('must be from 1 to 3650 days, got 0').waitFor();
  await page.locator('[data-field="$.conflict.secondRegistrantShare"].invalid').getByText('must be from 0 to 1, got 1.5').waitFor();
  assert.equal((await storedDesk(page)).programme.protectionDays, 90);

  // A bad edit in the JSON names its path too.
  await page.getByLabel('Protection days').fill('120');
  await page.getByLabel('Second registrant keeps (0–1)').fill('0.5');
  const json = await programmeJson(page);
  await json.fill((await json.inputValue()).replace('"currency": "EUR"', '"currency": "euro"'));
  await page.getByRole('button', { name: 'Save programme' }).click();
  await page.locator('.problems').getByText('"euro" is not a currency code').waitFor();
  await json.fill((await json.inputValue()).replace('"currency": "euro"', '"currency": "EUR"'));
  await page.getByRole('button', { name: 'Save programme' }).click();
  await waitForStored(page, (ws) => ws.programme.protectionDays === 120);
  assert.deepEqual(errors, []);
});

test('a partner saves a draft, edits it later, and submits it', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page, { partner: 'p-lagom' });
  await page.click('nav a[href="#register"]');
  await page.getByLabel('Company name').fill('Björk Logistik AB');
  await page.getByLabel('Quantity of NX 24-port switch').fill('4');
  await page.getByLabel('Deal value').fill('9000');
  await page.getByLabel('Expected close').fill(plusDays(60));
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForSelector('h1 .badge:text("Draft")');
  const id = (await page.locator('.registration .lead').textContent()).trim();

  await page.getByRole('link', { name: 'Edit draft' }).click();
  await page.waitForSelector(`h1:text("Edit draft ${id}")`);
  assert.equal(await page.getByLabel('Company name').inputValue(), 'Björk Logistik AB');
  assert.equal(await page.getByLabel('Quantity of NX 24-port switch').inputValue(), '4');
  await page.getByLabel('Deal value').fill('9600');
  await page.getByRole('button', { name: 'Submit registration' }).click();
  await page.waitForSelector('h1 .badge:text("Submitted")');
  assert.match(await page.textContent('.registration .facts'), /Value€9,600/);
  await page.reload();
  await page.waitForSelector('h1 .badge:text("Submitted")');
  const history = await page.locator('.registration .events').textContent();
  assert.match(history, new RegExp(`${id} submitted.*${id} edited.*${id} \\(Björk Logistik AB\\) saved as a draft`, 's'));
  assert.deepEqual(errors, []);
});
