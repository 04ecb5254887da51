// End-to-end: a new vendor and its new partners, from blank desks, through
// the visible page only. The vendor builds a programme in forms (no JSON),
// publishes it and invites two partners; one joins from the invitation link,
// the other from the invitation file, with no programme.json hosted. A
// partner's desk and files hold nothing about the other partner nor the
// vendor's budget, and a partner cannot pose as the other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downloadFrom, openApp, saveProgramme, storedDesk, storedTexts, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

const BUDGET = '123457';
const PRICE_LIST = 'SKU,Product,Product line,List price\nAC-AP7,AP7 access point,Wireless,"1,150.00"\nAC-CTL,Wireless controller,Wireless,4800\n';

/** The builder's input for `column` of the `n`th (1-based) record of a table. */
const cell = (page, column, noun, n) => page.getByLabel(`${column} of ${noun} ${n}`, { exact: true });

test('a new vendor builds and publishes a programme and invites two partners, who join without a hosted programme', async () => {
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  // The blank desk: nothing to choose a partner identity from, only the vendor's start and the invitation.
  assert.equal(await v.locator('#setup-partner select').count(), 0);
  await v.getByLabel('Your company').fill('Acme Networks Ltd');
  await v.getByLabel('Programme name').fill('Acme Partner Advantage');
  await v.getByRole('button', { name: 'Start my programme' }).click();
  await v.locator('.programme-edit').waitFor();
  assert.equal(await v.getByLabel('Protection days').inputValue(), '90', 'the template is a 90-day programme');

  // Two tiers: the template's third goes.
  assert.equal(await cell(v, 'Tier', 'tier', 3).inputValue(), 'Registered');
  await v.getByRole('button', { name: 'Remove tier 3' }).click();
  await cell(v, 'Tier', 'tier', 2).fill('Silver Plus');

  // Four products: two by hand, in a new line, and two from a price list.
  await v.getByRole('button', { name: 'Add product line' }).click();
  await cell(v, 'Product line', 'product line', 1).fill('Switching');
  for (const [n, sku, name, price] of [[1, 'AC-SW24', 'SW24 switch', '2400'], [2, 'AC-SW48', 'SW48 switch', '3900']]) {
    await v.getByRole('button', { name: 'Add product', exact: true }).click();
    await cell(v, 'SKU', 'product', n).fill(sku);
    await cell(v, 'Product', 'product', n).fill(name);
    await cell(v, 'List price', 'product', n).fill(price);
  }
  // Checked as it is typed: a blank product name is named beside it.
  await cell(v, 'Product', 'product', 2).fill('');
  await v.locator('[data-field="$.products[1].name"].invalid .field-error').getByText('must not be empty').waitFor();
  await cell(v, 'Product', 'product', 2).fill('SW48 switch');
  await v.locator('[data-field="$.products[1].name"].invalid').waitFor({ state: 'detached' });
  await v.setInputFiles('input[aria-label="Read a price list (CSV)"]', { name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from(PRICE_LIST) });
  await v.locator('.toast.shown').getByText('prices.csv: 2 added, 0 updated, new product lines: Wireless').waitFor();
  assert.equal(await cell(v, 'List price', 'product', 3).inputValue(), '1150');

  // Two partners, and the budget only the vendor keeps.
  for (const [n, name, tier, countries] of [[1, 'Fjordnett AS', 'gold', 'no, se'], [2, 'Baltic Reseller OÜ', 'silver', 'EE']]) {
    await v.getByRole('button', { name: 'Add partner' }).click();
    await cell(v, 'Partner', 'partner', n).fill(name);
    await cell(v, 'Tier', 'partner', n).selectOption(tier);
    await cell(v, 'Countries', 'partner', n).fill(countries);
  }
  await v.getByLabel('Incentive budget').fill(BUDGET);
  assert.equal(await v.locator('textarea.json').isVisible(), false, 'the JSON is folded away');

  // Saving says what changed, in words, and offers to publish.
  const { panel: saved, changes } = await saveProgramme(v);
  for (const line of ['Tier Registered: removed', 'Product AC-SW24 (SW24 switch): added', 'Partner Fjordnett AS: added', `Incentive budget: none → ${BUDGET}`]) {
    assert.ok(changes.some((c) => c.startsWith(line)), `${line} in ${changes.join(' | ')}`);
  }
  assert.match(await saved.textContent(), /2 partners are not invited yet/);
  const published = await downloadFrom(v, saved.getByRole('button', { name: 'Download the programme file to publish' }));
  const programmeFile = JSON.parse(published.buffer.toString());
  assert.deepEqual(programmeFile.partners, [], 'the published programme names no partner');
  assert.equal(programmeFile.incentiveBudget, undefined, 'nor the budget');
  assert.equal(programmeFile.tiers.length, 2);
  assert.equal(programmeFile.products.length, 4);

  // Invitations: a link for one partner, a file for the other.
  await v.getByRole('button', { name: 'Invite Fjordnett AS' }).click();
  const link = await v.locator('#invitation-link').inputValue();
  assert.match(link, new RegExp(`^${suite.url}/#join=`));
  await v.getByRole('button', { name: 'Done' }).click();
  await v.getByRole('button', { name: 'Invite Baltic Reseller OÜ' }).click();
  const invitationFile = await downloadFrom(v, v.getByRole('button', { name: 'Download the invitation file' }));
  await v.getByRole('button', { name: 'Done' }).click();
  await v.getByRole('button', { name: 'Invite again Fjordnett AS' }).waitFor();

  // Fjordnett opens the link in its own browser: it is shown who it will be, then joins.
  const fjord = await openApp(suite.browser, suite.url);
  const f = fjord.page;
  await f.goto(link);
  const welcome = f.locator('dialog');
  await welcome.getByRole('heading', { name: 'Join Acme Partner Advantage?' }).waitFor();
  assert.match(await welcome.textContent(), /Partner: Fjordnett AS.*Tier: Gold/s);
  assert.equal(new URL(f.url()).hash, '', 'the invitation is taken out of the address at once');
  await welcome.getByRole('button', { name: 'Join as Fjordnett AS' }).click();
  await f.locator('#role').getByText('Partner desk: Fjordnett AS').waitFor();

  // Baltic chooses the invitation file on the first screen.
  const baltic = await openApp(suite.browser, suite.url);
  const b = baltic.page;
  await b.setInputFiles('#setup-invitation', invitationFile);
  await b.locator('dialog').getByRole('button', { name: 'Join as Baltic Reseller OÜ' }).click();
  await b.locator('#role').getByText('Partner desk: Baltic Reseller OÜ').waitFor();

  // Fjordnett registers a deal on its own product list and sends it.
  await f.click('nav a[href="#register"]');
  await f.getByLabel('Company name').fill('Bergen Havn KF');
  await f.getByLabel('Web domain or e-mail').fill('bergenhavn.no');
  await f.getByLabel('Quantity of SW48 switch').fill('3');
  await f.getByLabel('Deal value').fill('11700');
  await f.getByLabel('Expected close').fill(new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10));
  await f.getByRole('button', { name: 'Submit registration' }).click();
  await f.locator('.toast.shown').getByText(/submitted: send it/).waitFor();
  await f.click('nav a[href="#files"]');
  const submission = await downloadFrom(f, f.getByRole('button', { name: 'Export submission file' }));

  // The vendor reads it.
  await v.click('nav a[href="#files"]');
  await v.setInputFiles('#submission-files', submission);
  await v.locator('.import-log li').getByText(/1 added/).waitFor();
  await v.click('nav a[href="#registrations"]');
  await v.getByRole('cell', { name: 'Bergen Havn KF' }).waitFor();

  // Neither partner's desk nor any of its files holds the other partner or the budget.
  const vendorDesk = await storedDesk(v);
  const [fjordRecord, balticRecord] = vendorDesk.programme.partners;
  for (const [page, own, other] of [[f, fjordRecord, balticRecord], [b, balticRecord, fjordRecord]]) {
    await page.click('nav a[href="#files"]');
    const backup = await downloadFrom(page, page.getByRole('button', { name: 'Export backup' }));
    const exported = [backup.buffer.toString()];
    if (page === f) exported.push(submission.buffer.toString());
    const storage = await storedTexts(page);
    assert.ok(storage.some((t) => t.includes(own.name)), 'the unpacked desk is read');
    for (const text of [...storage, ...exported]) {
      for (const secret of [other.id, other.name, other.signingKey, BUDGET]) {
        assert.ok(!text.includes(secret), `${own.name}'s desk holds ${secret}`);
      }
    }
    const held = await storedDesk(page);
    assert.deepEqual(held.programme.partners.map((p) => p.id), [own.id], 'its own record and no other');
    assert.equal(held.programme.incentiveBudget, undefined);
    // Its Programme page shows its own membership, not a roster.
    await page.click('nav a[href="#programme"]');
    await page.getByRole('heading', { name: 'Your membership' }).waitFor();
    assert.equal(await page.getByText(other.name).count(), 0);
  }

  // Baltic cannot pose as Fjordnett: another's invitation is refused on its desk,
  // and a submission edited to name Fjordnett is refused by the vendor.
  await b.click('nav a[href="#overview"]');
  await b.goto(link);
  await b.locator('.alert').getByText(/this desk is Baltic Reseller OÜ's already; the invitation of Fjordnett AS/).waitFor();
  await b.locator('#role').getByText('Partner desk: Baltic Reseller OÜ').waitFor();
  await b.click('nav a[href="#register"]');
  await b.getByLabel('Company name').fill('Tallinn Sadam AS');
  await b.getByLabel('Quantity of AP7 access point').fill('6');
  await b.getByLabel('Deal value').fill('6900');
  await b.getByLabel('Expected close').fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  await b.getByRole('button', { name: 'Submit registration' }).click();
  await b.locator('.toast.shown').getByText(/submitted: send it/).waitFor();
  await b.click('nav a[href="#files"]');
  const forged = JSON.parse((await downloadFrom(b, b.getByRole('button', { name: 'Export submission file' }))).buffer.toString());
  forged.partnerId = fjordRecord.id;
  for (const r of forged.registrations) r.partnerId = fjordRecord.id;
  delete forged.signature;
  await v.click('nav a[href="#files"]');
  const before = await storedDesk(v);
  await v.setInputFiles('#submission-files', { name: 'forged.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(forged, null, 2)) });
  await v.locator('.import-log li.failed').getByText(/refused, nothing from it was imported/).waitFor();
  assert.deepEqual(await storedDesk(v), before);

  for (const app of [vendor, fjord, baltic]) {
    assert.deepEqual(app.errors, []);
    await app.context.close();
  }
});
