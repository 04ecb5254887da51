// End-to-end: the lead loop on the real page. The vendor imports a CSV of
// leads through the column mapping (a bad row holds the import back until
// skipped), routes them, and sends the decision file; the partner accepts a
// lead, logs a call, qualifies and converts it, and the registration form
// opens prefilled with the lead's customer; the conversion survives a reload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downloadFrom, openApp, ROOT, saveProgramme, setUpDesk, storedDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

const leadsOf = async (page) => (await storedDesk(page)).leads ?? [];

test('the vendor imports and routes leads; the partner accepts, works and converts one', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#leads"]');
  const before = (await leadsOf(v)).length;

  // The sample file has a row without a country: shown by line and column, and nothing goes in until it is skipped.
  await v.setInputFiles('#lead-file', `${ROOT}/www/demo/campaign-leads.csv`);
  const dialog = v.locator('#lead-import');
  await dialog.getByText('9 of 10 rows ready.').waitFor();
  assert.equal(await v.inputValue('#map-company'), 'Company', 'the suggested mapping');
  assert.equal(await v.inputValue('#map-contactName'), 'Contact');
  assert.match(await dialog.locator('#row-problems').textContent(), /line 10, Country.*is not a country code/);
  assert.ok(await v.locator('#import-leads-go').isDisabled());
  // Mapping the country away makes it a required field to choose, and nothing is read.
  await v.selectOption('#map-country', '');
  await dialog.getByText('mapping.country').waitFor();
  await v.selectOption('#map-country', 'Country');
  await v.check('#skip-bad-rows');
  await v.click('#import-leads-go');
  await v.locator('.toast.shown').getByText('9 leads imported from campaign-leads.csv, 1 bad rows skipped, 2 flagged').waitFor();
  const imported = (await leadsOf(v)).slice(before);
  assert.equal(imported.length, 9);
  const fjordbris = imported.find((l) => l.company === 'Fjordbris Maskin AS');
  assert.deepEqual([fjordbris.country, fjordbris.budget, fjordbris.productLine, fjordbris.campaignId], ['NO', 85000, 'net', 'C-EDGE']);
  assert.equal(imported.find((l) => l.company === 'Fjordbris Maskin A/S').duplicateOf, fjordbris.id);

  // Routing one shows its candidates; routing all offers every waiting lead it can.
  await v.fill('input[aria-label="Search leads"]', 'Fjordbris Maskin AS');
  await v.locator(`tr[data-id="${fjordbris.id}"]`).getByRole('button', { name: 'Route…' }).click();
  const route = v.getByRole('dialog');
  await route.locator('tr.chosen').getByText('Nordlys IT AS').waitFor();
  assert.match(await route.textContent(), /Kronberg Systemhaus GmbH.*does not sell in NO/s);
  await route.getByRole('button', { name: 'Offer to Nordlys IT AS' }).click();
  await v.locator('.toast.shown').getByText('Offered to Nordlys IT AS').waitFor();
  await v.click('#route-all');
  await v.locator('.toast.shown').getByText(/waiting leads routed/).waitFor();
  const routed = (await leadsOf(v)).find((l) => l.id === fjordbris.id);
  assert.deepEqual([routed.assignedTo, routed.offer.state], ['p-nordlys', 'offered']);

  await v.click('nav a[href="#files"]');
  await v.selectOption('#decisions-partner', 'p-nordlys');
  const decisions = await downloadFrom(v, v.getByRole('button', { name: 'Export decision file' }));

  // The partner reads the offer and accepts it.
  const partner = await openApp(suite.browser, suite.url);
  const p = partner.page;
  await setUpDesk(p, { partner: 'p-nordlys' });
  await p.click('nav a[href="#files"]');
  await p.setInputFiles('#decision-file', decisions);
  await p.locator('.toast.shown').getByText(/Decisions read/).waitFor();
  await p.click('nav a[href="#overview"]');
  const waiting = (await leadsOf(p)).filter((l) => l.offer?.state === 'offered').length;
  assert.match(await p.locator('.stat', { hasText: 'Active leads' }).textContent(), new RegExp(`${waiting} offers? to answer`));
  await p.click('nav a[href="#leads"]');
  const offer = p.locator(`li[data-offer="${fjordbris.id}"]`);
  await offer.getByRole('button', { name: 'Accept' }).click();
  await p.locator('.toast.shown').getByText('Fjordbris Maskin AS accepted').waitFor();

  // Its page: log a call, plan the next touch, qualify it.
  await p.goto(`${suite.url}/#leads/${fjordbris.id}`);
  await p.selectOption('#activity-kind', 'call');
  await p.fill('#activity-note', 'Spoke to <b>the plant manager</b>');
  await p.click('#log-activity button');
  await p.locator('.toast.shown').getByText('Activity logged').waitFor();
  assert.match(await p.locator('ol.events').textContent(), /Call Spoke to <b>the plant manager<\/b>/, 'a note is text, never markup');
  assert.equal(await p.locator('ol.events b').count(), 0);
  assert.match(await p.locator('.contributions').textContent(), /1 × call/);
  await p.selectOption('#lead-status', 'qualified');
  await p.click('#set-status button');
  await p.locator('.toast.shown').getByText('is qualified now').waitFor();

  // Convert: the registration form opens with the lead's customer and contact.
  await p.click('#convert-lead');
  await p.getByRole('heading', { name: `Register a deal from lead ${fjordbris.id}` }).waitFor();
  assert.equal(await p.getByLabel('Company name').inputValue(), 'Fjordbris Maskin AS');
  assert.equal(await p.getByLabel('Web domain or e-mail').inputValue(), 'fjordbris.no');
  assert.equal(await p.getByLabel('Country').inputValue(), 'NO');
  assert.equal(await p.getByLabel('Deal value').inputValue(), '85000');
  assert.equal(await p.getByLabel('Contact name').inputValue(), 'Ola Nordmann');
  await p.getByLabel('Quantity of NX edge router').fill('10');
  const close = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
  await p.getByLabel('Expected close').fill(close);
  await p.getByRole('button', { name: 'Submit registration' }).click();
  await p.locator('.toast.shown').getByText(/submitted/).waitFor();

  // After a reload: the lead is converted into the registration, which keeps the lead and campaign.
  await p.reload();
  await p.waitForSelector('body[data-ready]');
  const ws = await storedDesk(p);
  const lead = ws.leads.find((l) => l.id === fjordbris.id);
  const registration = ws.registrations.find((r) => r.id === lead.registrationId);
  assert.equal(lead.status, 'converted');
  assert.deepEqual([registration.leadId, registration.campaignId, registration.status], [fjordbris.id, 'C-EDGE', 'submitted']);
  assert.deepEqual([...vendor.errors, ...partner.errors], []);
});

test('a partner declines an offer with its reason; the vendor sees it come back', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#files"]');
  await v.selectOption('#decisions-partner', 'p-kronberg');
  const decisions = await downloadFrom(v, v.getByRole('button', { name: 'Export decision file' }));

  const partner = await openApp(suite.browser, suite.url);
  const p = partner.page;
  await setUpDesk(p, { partner: 'p-kronberg' });
  await p.click('nav a[href="#files"]');
  await p.setInputFiles('#decision-file', decisions);
  await p.locator('.toast.shown').getByText(/Decisions read/).waitFor();
  await p.click('nav a[href="#leads"]');
  const first = p.locator('li[data-offer]').first();
  const id = await first.getAttribute('data-offer');
  await first.getByRole('button', { name: 'Decline' }).click();
  // A decline needs its reason.
  await p.getByRole('dialog').getByRole('button', { name: 'Decline the lead' }).click();
  await p.getByRole('alert').getByText('say why the lead is declined').waitFor();
  await first.getByRole('button', { name: 'Decline' }).click();
  await p.fill('#decline-reason', 'No capacity in Austria until March');
  await p.getByRole('dialog').getByRole('button', { name: 'Decline the lead' }).click();
  await p.locator('.toast.shown').getByText('declined').waitFor();

  await p.click('nav a[href="#files"]');
  const submission = await downloadFrom(p, p.getByRole('button', { name: 'Export submission file' }));
  await v.setInputFiles('#submission-files', submission);
  await v.locator('.import-log').getByText(/updated/).waitFor();
  await v.goto(`${suite.url}/#leads/${id}`);
  await v.getByText('Declined or let lapse by p-kronberg.').waitFor();
  await v.click('nav a[href="#overview"]');
  await v.locator('ol.events').getByText(`p-kronberg declined ${id}: No capacity in Austria until March`).waitFor();
  assert.deepEqual([...vendor.errors, ...partner.errors], []);
});

test('the vendor sets how leads are routed and scored in the programme editor', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#programme"]');
  await v.getByLabel('Hours a partner has to accept an offer').fill('0');
  await v.getByRole('button', { name: 'Save programme' }).click();
  await v.locator('[data-field="$.leadRouting.acceptWithinHours"] .field-error').getByText('must be from 1 to 2160 hours').waitFor();
  await v.getByLabel('Hours a partner has to accept an offer').fill('48');
  await v.getByLabel('Leads go to partners').selectOption('leastLoaded');
  await v.getByLabel('SQL from score').fill('70');
  const { changes } = await saveProgramme(v);
  assert.deepEqual(changes, ['Hours to accept a lead: 72 → 48', 'Leads go to partners: weighted by tier → least loaded', 'Grade SQL, from score: 55 → 70']);
  const programme = (await storedDesk(v)).programme;
  assert.deepEqual([programme.leadRouting.method, programme.leadRouting.acceptWithinHours, programme.leadScoring.grades[0].minScore], ['leastLoaded', 48, 70]);
  await v.click('nav a[href="#leads"]');
  await v.getByText('Routing: least loaded; partners have 48 hours to accept an offer.').waitFor();
  assert.deepEqual(vendor.errors, []);
});
