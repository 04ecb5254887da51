// End-to-end: conflicts. A partner typing a misspelled customer it already
// holds sees the match, with its evidence, before submitting; the vendor sees
// customers claimed by several partners, grouped, first registrant marked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApp, setUpDesk, useServerAndBrowser, waitForStored } from './helpers.mjs';

const suite = useServerAndBrowser();

test('a partner typing a misspelled customer it already holds sees the conflict before submitting', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page, { partner: 'p-nordlys' });
  await page.click('nav a[href="#register"]');
  await page.getByLabel('Quantity of NX 24-port switch').fill('3');
  await page.getByLabel('Deal value').fill('9000');
  for (const item of ['Budget confirmed', 'Decision maker identified', 'Need stated by the customer']) await page.getByLabel(item).check();
  await page.getByLabel('Company name').fill('Equinorr ASA'); // one letter too many
  const preview = page.locator('.preview');
  await preview.getByText('Would be rejected').waitFor();
  assert.match(await preview.locator('[data-rule="duplicate"]').textContent(), /Equinorr ASA is your open registration R-0053 of Equinor ASA/);
  const finding = preview.locator('[data-finding="R-0053"]');
  assert.match(await finding.textContent(), /Your registration R-0053: Equinor ASA.*same customer.*protected until 2027-03-08/s);
  await finding.locator('summary').click();
  assert.match(await finding.locator('table.signals').textContent(), /name.*"equinorr" and "equinor"/s);

  // Another customer: no match, nothing to show.
  await page.getByLabel('Company name').fill('Fjord Shipping');
  await preview.getByText('Would be approved').waitFor();
  assert.equal(await preview.locator('.findings').count(), 0);
  assert.deepEqual(errors, []);
});

test('the vendor sees customers claimed by several partners, first registrant marked, evidence one click away', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  await page.click('nav a[href="#conflicts"]');
  await page.waitForSelector('main h1:text("Conflicts")');
  assert.match(await page.textContent('main .lead'), /\d+ customers? (is|are) claimed by more than one partner/);
  const heineken = page.locator('.conflict-group[data-customer="Heineken N.V."]');
  const rows = heineken.locator('tbody tr');
  assert.match(await rows.nth(0).textContent(), /First registrant.*R-0017.*Kronberg Systemhaus GmbH.*Heineken N\.V\./s);
  assert.match(await rows.nth(1).textContent(), /#2.*R-0018.*Tulip Integrators B\.V\..*Heineken/s);
  const evidence = heineken.locator('details.evidence').first();
  await evidence.locator('summary').click();
  assert.match(await evidence.locator('table.signals').textContent(), /name1\.001\.00/);
  assert.deepEqual(errors, []);
});

test('the vendor decides in the programme that companies sharing a first word are one customer', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page);
  await page.click('nav a[href="#conflicts"]');
  const group = page.locator('.conflict-group[data-customer="Volvo CE"]');
  await group.getByText('possibly the same customer').waitFor();

  await page.click('nav a[href="#programme"]');
  await page.getByLabel('Companies with the same first word').selectOption('same');
  await page.getByRole('button', { name: 'Save programme' }).click();
  await waitForStored(page, (ws) => ws.programme.conflict.relatedCompanies === 'same');

  await page.click('nav a[href="#conflicts"]');
  await group.getByText('same customer', { exact: true }).waitFor();
  await group.locator('details.evidence').first().locator('summary').click();
  assert.match(await group.locator('table.signals').first().textContent(), /one group, one customer under this programme/);
  assert.deepEqual(errors, []);
});
