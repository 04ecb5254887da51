// End-to-end: a routed lead through to a justified special price, on the real
// page. The vendor routes a lead; the partner accepts, qualifies and converts
// it with the checklist and a business case; the vendor's desk approves it by
// the lead priority (above the ordinary auto-approval limit); the partner asks
// for a special price; the vendor grants it with a reason and an account plan;
// the partner reads both back; the fair-pricing audit lists it as justified.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downloadFrom, openApp, ROOT, setUpDesk, storedDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

const stored = storedDesk;

test('a routed lead is converted, approved by its priority, and granted a special price the audit finds justified', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  // A lead the vendor routes to Nordlys: Fjordbris, from the sample lead file.
  await v.click('nav a[href="#leads"]');
  await v.setInputFiles('#lead-file', `${ROOT}/www/demo/campaign-leads.csv`);
  await v.check('#skip-bad-rows');
  await v.click('#import-leads-go');
  await v.locator('.toast.shown').getByText(/leads imported/).waitFor();
  const lead = (await stored(v)).leads.find((l) => l.company === 'Fjordbris Maskin AS');
  await v.fill('input[aria-label="Search leads"]', 'Fjordbris Maskin AS');
  await v.locator(`tr[data-id="${lead.id}"]`).getByRole('button', { name: 'Route…' }).click();
  await v.getByRole('dialog').getByRole('button', { name: 'Offer to Nordlys IT AS' }).click();
  await v.locator('.toast.shown').getByText('Offered to Nordlys IT AS').waitFor();
  await v.click('nav a[href="#files"]');
  await v.selectOption('#decisions-partner', 'p-nordlys');
  let decisions = await downloadFrom(v, v.getByRole('button', { name: 'Export decision file' }));

  // The partner accepts, qualifies and converts it.
  const partner = await openApp(suite.browser, suite.url);
  const p = partner.page;
  await setUpDesk(p, { partner: 'p-nordlys' });
  await p.click('nav a[href="#files"]');
  await p.setInputFiles('#decision-file', decisions);
  await p.locator('.toast.shown').getByText(/Decisions read/).waitFor();
  await p.click('nav a[href="#leads"]');
  await p.locator(`li[data-offer="${lead.id}"]`).getByRole('button', { name: 'Accept' }).click();
  await p.goto(`${suite.url}/#leads/${lead.id}`);
  await p.selectOption('#lead-status', 'qualified');
  await p.click('#set-status button');
  await p.locator('.toast.shown').getByText('is qualified now').waitFor();
  await p.click('#convert-lead');
  await p.getByLabel('Quantity of NX edge router').fill('6');
  await p.getByLabel('Deal value').fill('40000');
  await p.getByLabel('Expected close').fill(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
  // Two of the three items approval needs: the form says what the vendor's desk would do.
  await p.getByLabel('Budget confirmed').check();
  await p.getByLabel('Decision maker identified').check();
  const preview = p.locator('.preview');
  await preview.locator('.decision-summary').getByText(/In review: 2 of 5 items confirmed; approval needs 3/).waitFor();
  await p.getByLabel('Need stated by the customer').check();
  await p.getByLabel('The customer\'s problem').fill('Plant network <script>window.pwned = 1</script> fails weekly');
  await p.getByLabel('Competitors').fill('Incumbent integrator');
  await preview.getByText(/below the auto-approval limit 50,000 EUR for a lead the vendor routed to the partner/).first().waitFor();
  await p.getByRole('button', { name: 'Submit registration' }).click();
  await p.locator('.toast.shown').getByText(/submitted/).waitFor();
  const id = (await stored(p)).registrations.find((r) => r.leadId === lead.id).id;
  await p.click('nav a[href="#files"]');
  let submission = await downloadFrom(p, p.getByRole('button', { name: 'Export submission file' }));

  // The vendor's desk approves it by the lead priority: 40,000 is above the ordinary 25,000.
  await v.setInputFiles('#submission-files', submission);
  await v.locator('.import-log').getByText(/1 added/).waitFor();
  await v.goto(`${suite.url}/#registrations/${id}`);
  await v.waitForSelector('h1 .badge:text("Approved")');
  const page = await v.locator('section.registration').textContent();
  assert.match(page, /converts lead .* routed to Nordlys IT AS by the vendor/);
  assert.match(page, /Plant network <script>window.pwned = 1<\/script> fails weekly/, 'the business case is text');
  assert.match(page, /3 of 5 confirmed/);
  await v.click('nav a[href="#files"]');
  await v.selectOption('#decisions-partner', 'p-nordlys');
  decisions = await downloadFrom(v, v.getByRole('button', { name: 'Export decision file' }));

  // The partner reads the approval and asks for a special price.
  await p.setInputFiles('#decision-file', decisions);
  await p.locator('.toast.shown').getByText(/Decisions read/).waitFor();
  await p.goto(`${suite.url}/#registrations/${id}`);
  await p.waitForSelector('h1 .badge:text("Approved")');
  await p.selectOption('#ask-kind', 'specialPrice');
  await p.fill('#ask-note', 'A competing bid 5% under ours');
  await p.fill('#ask-points', '4');
  await p.fill('#ask-competing', 'Integrator X at -5%');
  await p.getByRole('button', { name: 'Send request' }).click();
  await p.locator('.toast.shown').getByText(/Request saved/).waitFor();
  await p.click('nav a[href="#files"]');
  submission = await downloadFrom(p, p.getByRole('button', { name: 'Export submission file' }));

  // The vendor finds it in the review queue and grants it, with the reason and a plan.
  await v.setInputFiles('#submission-files', submission);
  await v.locator('.import-log').getByText(/1 updated/).waitFor();
  await v.click('nav a[href="#review"]');
  const card = v.locator(`article[data-id="${id}"]`, { hasText: 'A special price (4 points)' });
  await card.getByRole('link', { name: 'Answer' }).click();
  const answer = v.locator(`[data-answer="${id}-Q1"]`);
  await answer.getByRole('button', { name: 'Approve' }).click();
  await v.getByRole('alert').getByText(/give the partner the reason/).waitFor();
  await answer.getByLabel(`Reason for ${id}-Q1`).fill('Competitive displacement; matched to the documented bid');
  await answer.getByRole('button', { name: 'Approve' }).click();
  await v.locator('.toast.shown').getByText(`${id}-Q1 approved`).waitFor();
  await v.getByRole('button', { name: 'Add a step' }).click();
  await v.getByLabel('Next step').fill('Proof of concept at the plant');
  await v.getByLabel('Account notes').fill('Vendor presales joins the second workshop');
  await v.getByRole('button', { name: 'Save plan' }).click();
  await v.locator('.toast.shown').getByText('Account plan saved').waitFor();
  const granted = (await stored(v)).registrations.find((r) => r.id === id).requests[0];
  assert.deepEqual([granted.state, granted.cost], ['approved', 1600]);

  // The partner reads the answer and the plan back, signed.
  await v.click('nav a[href="#files"]');
  await v.selectOption('#decisions-partner', 'p-nordlys');
  decisions = await downloadFrom(v, v.getByRole('button', { name: 'Export decision file' }));
  await p.click('nav a[href="#files"]');
  await p.setInputFiles('#decision-file', decisions);
  await p.locator('.toast.shown').getByText(/Decisions read/).waitFor();
  await p.goto(`${suite.url}/#registrations/${id}`);
  const request = p.locator(`li[data-request="${id}-Q1"]`);
  await request.getByText('Vendor: Competitive displacement; matched to the documented bid; applies until').waitFor();
  await p.locator('.plan').getByText('Proof of concept at the plant').waitFor();

  // The audit lists the special price as justified, and does not flag Nordlys for it.
  await v.click('nav a[href="#reports"]');
  const grant = v.locator('table[data-report="pricing-grants"] tr', { hasText: id }).filter({ hasText: 'Competitive displacement' });
  await grant.waitFor();
  assert.match(await grant.textContent(), /yes/i);
  const nordlys = v.locator('table[data-report="pricing-partners"] tr', { hasText: 'Nordlys IT AS' });
  assert.doesNotMatch(await nordlys.textContent(), /flagged/i);

  assert.equal(await p.evaluate(() => /** @type {any} */ (window).pwned), undefined);
  assert.equal(await v.evaluate(() => /** @type {any} */ (window).pwned), undefined);
  assert.deepEqual([...vendor.errors, ...partner.errors], []);
});
