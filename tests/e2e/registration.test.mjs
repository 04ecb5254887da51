// End-to-end: a deal registration makes the whole trip. A partner fills the
// form and watches the live evaluation; the vendor reads the submission file,
// sees the registration in the review queue with its explanation, approves it;
// the partner reads the decision file and sees the protection date.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downloadFrom, openApp, programmeJson, setUpDesk, storedDesk, useServerAndBrowser, waitForStored } from './helpers.mjs';

const suite = useServerAndBrowser();

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

test('a partner asks for 10 days of extension and the vendor grants 7', async () => {
  const partner = await openApp(suite.browser, suite.url);
  const p = partner.page;
  await setUpDesk(p, { partner: 'p-nordlys' });
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  const most = (await storedDesk(p)).programme.extension.days;

  // A deal far enough along, with the checklist an extension needs; approved on receipt.
  await p.click('nav a[href="#register"]');
  await p.getByLabel('Company name').fill('Sognefjord Kraft AS');
  await p.getByLabel('Quantity of NX edge router').fill('2');
  await p.getByLabel('Deal value').fill('12000');
  await p.getByLabel('Expected close').fill(plusDays(60));
  await p.getByLabel('Stage').selectOption('propose');
  for (const item of ['Budget confirmed', 'Decision maker identified', 'Need stated by the customer', 'Timeline known']) await p.getByLabel(item).check();
  await p.getByRole('button', { name: 'Submit registration' }).click();
  const toast = p.locator('.toast.shown').getByText(/submitted: send it/);
  await toast.waitFor();
  const id = (await toast.textContent()).split(' ')[0];
  const trip = async (from, to, button, input) => {
    await from.click('nav a[href="#files"]');
    if (from === v) await v.selectOption('#decisions-partner', 'p-nordlys');
    const file = await downloadFrom(from, from.getByRole('button', { name: button }));
    await to.click('nav a[href="#files"]');
    await to.setInputFiles(input, file);
  };
  await trip(p, v, 'Export submission file', '#submission-files');
  await v.locator('.import-log li').first().getByText(/1 added/).waitFor();
  await trip(v, p, 'Export decision file', '#decision-file');
  await p.locator('.toast.shown').getByText(/Decisions read/).waitFor();

  await p.evaluate((r) => { location.hash = `registrations/${encodeURIComponent(r)}`; }, id);
  await p.getByText(`Ask for up to ${most} more days`).waitFor();
  await p.getByLabel(`Days of extension (at most ${most})`).fill(String(most + 1));
  await p.getByRole('textbox', { name: /Ask for up to/ }).fill('The board meets in March');
  await p.getByRole('button', { name: 'Request extension' }).click();
  await p.getByRole('alert').getByText(`an extension is 1 to ${most} days, the most the programme allows; not ${most + 1}`).waitFor();
  await p.getByLabel(`Days of extension (at most ${most})`).fill('10');
  await p.getByRole('button', { name: 'Request extension' }).click();
  await p.locator('.toast.shown').getByText('Extension requested').waitFor();
  await trip(p, v, 'Export submission file', '#submission-files');
  await v.locator('.import-log li').first().getByText(/1 updated/).waitFor();

  const before = (await storedDesk(v)).registrations.find((x) => x.id === id);
  await v.evaluate((r) => { location.hash = `registrations/${encodeURIComponent(r)}`; }, id);
  await v.getByText('The partner asks for 10 more days of protection').waitFor();
  await v.getByLabel('Days to grant').fill('7');
  await v.getByRole('textbox', { name: 'Extension decision' }).fill('Seven days: the board meets on the 9th');
  await v.getByRole('button', { name: 'Grant extension' }).click();
  await v.locator('.toast.shown').getByText(`${id} extended.`).waitFor();
  const extended = (await storedDesk(v)).registrations.find((x) => x.id === id);
  const want = new Date(`${before.protectedUntil}T00:00:00Z`);
  want.setUTCDate(want.getUTCDate() + 7);
  assert.equal(extended.protectedUntil, want.toISOString().slice(0, 10));
  assert.equal(extended.status, 'extended');
  assert.deepEqual([...partner.errors, ...vendor.errors], []);
});
