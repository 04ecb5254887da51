// End-to-end: the programme editor's qualification and pricing settings. The
// vendor adds a checklist item; asking more items than the checklist has, or
// leaving a label blank, shows the core's problem beside the field; fixed, the
// saved programme holds the new item (its id made from its label) and values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApp, programmeJson, saveProgramme, setUpDesk, storedDesk, useServerAndBrowser, waitForStored } from './helpers.mjs';

const suite = useServerAndBrowser();

const stored = async (page) => (await storedDesk(page)).programme;

test('the vendor edits the qualification checklist and pricing, and sees the core\'s problems beside the fields', async () => {
  const { page: v, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(v);
  await v.click('nav a[href="#programme"]');
  const before = await stored(v);
  const n = before.qualification.items.length;
  const fieldset = v.locator('fieldset', { has: v.locator('legend', { hasText: 'Qualification and pricing' }) });
  assert.equal(await fieldset.getByRole('textbox').count(), n);
  assert.equal(await v.getByLabel('Checklist item 1', { exact: true }).inputValue(), before.qualification.items[0].label);

  // One item more, one blank, and more items to approve than the checklist holds.
  await v.getByRole('button', { name: 'Add checklist item' }).click();
  await v.getByLabel(`Checklist item ${n + 1}`, { exact: true }).fill('Security review passed');
  await v.getByRole('button', { name: 'Add checklist item' }).click();
  await v.getByLabel('Items needed to approve without review').fill(String(n + 3));
  await v.getByRole('button', { name: 'Save programme' }).click();
  const toApprove = v.locator('[data-field="$.qualification.toApprove"]');
  await toApprove.locator('.field-error').getByText(`is ${n + 3}, but the checklist has ${n + 2} items`).waitFor();
  assert.match(await toApprove.getAttribute('class'), /\binvalid\b/);
  const blank = v.locator(`[data-field="$.qualification.items[${n + 1}].label"]`);
  assert.match(await blank.locator('.field-error').textContent(), /\S/);
  assert.match(await blank.getAttribute('class'), /\binvalid\b/);
  assert.equal((await stored(v)).qualification.items.length, n, 'nothing was saved');

  // Fixed: the blank item removed, the numbers within the checklist.
  await v.getByRole('button', { name: `Remove checklist item ${n + 2}` }).click();
  await v.getByLabel('Items needed to approve without review').fill(String(n + 1));
  await v.getByLabel('Items needed for an extension').fill('2');
  await v.getByLabel('Short of it').selectOption('reject');
  await v.getByLabel('Routed leads converted: approve without review below').fill('');
  await v.getByLabel('Largest special price (points)').fill('12');
  await v.getByLabel('Audit tolerance (points)').fill('1');
  await v.getByRole('button', { name: 'Save programme' }).click();
  await waitForStored(v, (ws) => ws.programme.qualification.items.length === n + 1);
  const after = await stored(v);
  assert.deepEqual(after.qualification.items.slice(0, n), before.qualification.items, 'existing items keep their ids');
  assert.deepEqual(after.qualification.items[n], { id: 'securityReviewPassed', label: 'Security review passed' });
  assert.equal(after.qualification.toApprove, n + 1);
  assert.equal(after.qualification.toExtend, 2);
  assert.equal(after.qualification.whenShort, 'reject');
  assert.equal(after.leadPriority?.autoApproveBelow ?? null, null, 'empty means none');
  assert.deepEqual(after.pricing, { maxSpecialPoints: 12, auditTolerancePoints: 1 });

  // The editor shows what was saved.
  await v.click('nav a[href="#programme"]');
  assert.equal(await v.getByLabel(`Checklist item ${n + 1}`, { exact: true }).inputValue(), 'Security review passed');
  assert.equal(await v.getByLabel('Routed leads converted: approve without review below').inputValue(), '');
  assert.deepEqual(errors, []);
});

test('an older programme without the checklist or pricing shows the core\'s defaults, and takes a first item', async () => {
  const { page: v, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(v);
  await v.click('nav a[href="#programme"]');
  const json = JSON.parse(await v.inputValue('textarea.json'));
  delete json.qualification;
  delete json.leadPriority;
  delete json.pricing;
  await (await programmeJson(v)).fill(JSON.stringify(json, null, 2));
  await v.getByRole('button', { name: 'Save programme' }).click();
  await waitForStored(v, (ws) => !ws.programme.qualification?.items?.length);

  await v.click('nav a[href="#programme"]');
  const fieldset = v.locator('fieldset', { has: v.locator('legend', { hasText: 'Qualification and pricing' }) });
  assert.equal(await fieldset.getByRole('textbox').count(), 0);
  assert.equal(await v.getByLabel('Items needed to approve without review').inputValue(), '0');
  assert.equal(await v.getByLabel('Items needed for an extension').inputValue(), '0');
  assert.equal(await v.getByLabel('Short of it').inputValue(), 'review');
  assert.equal(await v.getByLabel('Routed leads converted: approve without review below').inputValue(), '');
  assert.equal(await v.getByLabel('Largest special price (points)').inputValue(), '10');
  assert.equal(await v.getByLabel('Audit tolerance (points)').inputValue(), '0.5');

  await v.getByRole('button', { name: 'Add checklist item' }).click();
  await v.getByLabel('Checklist item 1', { exact: true }).fill('Budget confirmed');
  await v.getByLabel('Items needed to approve without review').fill('1');
  await v.getByRole('button', { name: 'Save programme' }).click();
  await waitForStored(v, (ws) => ws.programme.qualification?.toApprove === 1);
  const after = await stored(v);
  assert.deepEqual(after.qualification, { items: [{ id: 'budgetConfirmed', label: 'Budget confirmed' }], toApprove: 1, toExtend: 0, whenShort: 'review' });
  assert.deepEqual(after.pricing, { maxSpecialPoints: 10, auditTolerancePoints: 0.5 });
  assert.deepEqual(errors, []);
});

test('the vendor adds review holidays in the builder; a bad country is named beside it', async () => {
  const { page: v, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(v);
  await v.click('nav a[href="#programme"]');
  await v.getByRole('button', { name: 'Add holiday' }).click();
  await v.getByLabel('Date of holiday 1', { exact: true }).fill('2026-12-25');
  await v.getByLabel('Holiday of holiday 1', { exact: true }).fill('Christmas Day');
  await v.getByRole('button', { name: 'Add holiday' }).click();
  await v.getByLabel('Date of holiday 2', { exact: true }).fill('2026-12-28');
  await v.getByLabel('Holiday of holiday 2', { exact: true }).fill('Boxing Day (substitute)');
  await v.getByLabel('Countries of holiday 2', { exact: true }).fill('no, Norway');
  await v.locator('[data-field="$.approval.holidays[1].countries[1]"], [data-field="$.approval.holidays[1].countries"]').locator('.field-error').getByText(/NORWAY/).waitFor();
  await v.getByLabel('Countries of holiday 2', { exact: true }).fill('no, gb');
  const { changes } = await saveProgramme(v);
  assert.deepEqual(changes, ['Holiday Christmas Day: added', 'Holiday Boxing Day (substitute): added']);
  assert.deepEqual((await stored(v)).approval.holidays, [
    { date: '2026-12-25', name: 'Christmas Day' },
    { date: '2026-12-28', name: 'Boxing Day (substitute)', countries: ['NO', 'GB'] },
  ]);
  assert.deepEqual(errors, []);
});
