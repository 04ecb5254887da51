// End-to-end: two tabs of one desk changing it at the same moment lose
// nothing. Each change runs with the desk to itself (Web Locks) and on top
// of whatever the other tab saved; a change that cannot go on top is refused
// with the reason shown, never lost. A half-typed form survives the other
// tab's save. (bench/tabs.mjs runs the same trials on a 30,000-registration desk.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyStorage, fillStorage, openApp, registerThroughForm, setUpDesk, storedDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

/**
 * Schedules `trials` changes in a tab through the page's own desk module:
 * trial i logs an activity noted `${tag} ${i}` on the i-th lead at
 * `start + at(i)` ms (the page's clock). Resolves to each change's outcome and
 * the failures the page showed.
 * @param {import('playwright-core').Page} page
 * @param {{ tag: string, leads: string[], start: number, at: number[] }} plan
 */
function schedule(page, plan) {
  return page.evaluate(async ({ tag, leads, start, at }) => {
    const desk = await import('./js/desk.js');
    let shown = 0;
    new MutationObserver((records) => { for (const r of records) shown += r.addedNodes.length; })
      .observe(/** @type {Node} */ (document.getElementById('alerts')), { childList: true });
    const outcomes = await Promise.all(leads.map((id, i) => new Promise((resolve) => {
      setTimeout(async () => {
        const activity = { kind: 'call', at: new Date(Date.now() - 60_000).toISOString(), note: `${tag} ${i}` };
        resolve(await desk.change(`Logging ${tag} ${i}`, { type: 'logActivity', id, activity }));
      }, Math.max(0, start + at[i] - Date.now()));
    })));
    return { outcomes, shown };
  }, plan);
}

test('two tabs change the desk at once, 100 times at offsets from 0 to 2 s: no change is lost or silent', async () => {
  const first = await openApp(suite.browser, suite.url);
  await setUpDesk(first.page); // the vendor's demo desk
  const second = await openApp(suite.browser, suite.url, first.context);
  const leads = (await storedDesk(first.page)).leads.slice(0, 100).map((l) => l.id);
  assert.equal(leads.length, 100);
  // Trial i: the first tab at 15·i ms, the second at 15·i + offset, the offsets
  // spread over 0 to 2,000 ms (and the trials overlapping each other).
  const offsets = leads.map((_, i) => (i * 737) % 2001);
  assert.ok(offsets.includes(0) && Math.max(...offsets) >= 1990);
  const start = (await first.page.evaluate(() => Date.now())) + 1_000;
  const [a, b] = await Promise.all([
    schedule(first.page, { tag: 'A', leads, start, at: leads.map((_, i) => 15 * i) }),
    schedule(second.page, { tag: 'B', leads, start, at: leads.map((_, i) => 15 * i + offsets[i]) }),
  ]);

  const stored = await storedDesk(first.page);
  const notes = new Set(stored.leads.flatMap((l) => l.activities.map((x) => `${l.id} ${x.note}`)));
  for (const [tag, run] of [['A', a], ['B', b]]) {
    const done = run.outcomes.filter(Boolean).length;
    const kept = leads.filter((id, i) => notes.has(`${id} ${tag} ${i}`)).length;
    // Every change reported done is stored; every other one was shown as refused.
    assert.equal(kept, done, `tab ${tag}: ${done} reported done, ${kept} stored`);
    assert.equal(run.shown, 100 - done, `tab ${tag}: ${100 - done} not done, ${run.shown} failures shown`);
    // Logging on a lead cannot clash with the other tab's: each goes on top.
    assert.equal(done, 100, `tab ${tag}: ${100 - done} refused`);
  }
  assert.deepEqual([...first.errors, ...second.errors], []);
});

test('a half-typed registration survives another tab\'s save', async () => {
  const first = await openApp(suite.browser, suite.url);
  await setUpDesk(first.page, { partner: 'p-nordlys' });
  const second = await openApp(suite.browser, suite.url, first.context);
  await first.page.click('nav a[href="#register"]');
  await first.page.getByLabel('Company name').fill('Fjordbris Verft AS');
  await first.page.getByLabel('Deal value').fill('12000');

  // The other tab saves a draft of its own.
  await registerThroughForm(second.page, 'Hardanger Kraft AS');
  await second.page.locator('.toast.shown').getByText(/saved as a draft/).waitFor();

  // The first tab is told, and what was typed is still there.
  await first.page.locator('#remote-change').getByText(/changed in another tab or window/).waitFor();
  assert.equal(await first.page.getByLabel('Company name').inputValue(), 'Fjordbris Verft AS');
  assert.equal(await first.page.getByLabel('Deal value').inputValue(), '12000');
  // Finished and saved, it goes on top of the other tab's draft.
  await first.page.getByLabel('Quantity of NX edge router').fill('3');
  await first.page.getByLabel('Expected close').fill(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
  await first.page.getByRole('button', { name: 'Save draft' }).click();
  await first.page.locator('.toast.shown').getByText(/saved as a draft/).waitFor();
  const names = (await storedDesk(first.page)).registrations.map((r) => r.customer.name);
  assert.ok(names.includes('Fjordbris Verft AS') && names.includes('Hardanger Kraft AS'), names.join(', '));
  assert.deepEqual([...first.errors, ...second.errors], []);
});

test('a tab holding unsaved work (storage full) never drops it for another tab\'s save: it refuses and offers its backup', async () => {
  const first = await openApp(suite.browser, suite.url);
  await setUpDesk(first.page, { partner: 'p-nordlys' });
  const second = await openApp(suite.browser, suite.url, first.context);
  const a = first.page;
  // Storage full: the first tab's draft is kept in the tab only.
  const fillers = await fillStorage(a);
  const draft = registerThroughForm;
  await draft(a, 'Fjordbris Verft AS');
  await a.getByRole('alert').getByText('Not saved: this browser\'s storage for the page is full').waitFor();

  // Room again, and the second tab saves first.
  await emptyStorage(a, fillers);
  await second.page.reload();
  await second.page.waitForSelector('body[data-ready]');
  await draft(second.page, 'Hardanger Kraft AS');
  await second.page.locator('.toast.shown').getByText(/saved as a draft/).waitFor();
  const saved = await storedDesk(second.page);

  // The first tab's next change is refused, and says so; its unsaved draft is still there to export.
  await draft(a, 'Sognefjord Tre AS');
  const alert = a.getByRole('alert');
  await alert.getByText(/holds changes that are not saved/).waitFor();
  assert.deepEqual(await storedDesk(a), saved, 'the other tab\'s save stands');
  const [download] = await Promise.all([a.waitForEvent('download'), alert.getByRole('button', { name: 'Export a backup now' }).click()]);
  const { readFile } = await import('node:fs/promises');
  const backup = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.ok(backup.registrations.some((r) => r.customer.name === 'Fjordbris Verft AS'), 'the unsaved draft is in this tab\'s backup');
  assert.ok(!backup.registrations.some((r) => r.customer.name === 'Sognefjord Tre AS'), 'the refused change was not made');
  assert.deepEqual([...first.errors, ...second.errors], []);
});

test('a lead import done in the worker goes on top of what another tab saved meanwhile', async () => {
  const { ROOT } = await import('./helpers.mjs');
  const first = await openApp(suite.browser, suite.url);
  await setUpDesk(first.page); // the vendor's demo desk
  const second = await openApp(suite.browser, suite.url, first.context);
  const v = first.page;
  const leads = (await storedDesk(v)).leads.length;
  await v.click('nav a[href="#leads"]');
  // The worker reads the file on a copy of the desk as it is now...
  await v.setInputFiles('#lead-file', `${ROOT}/www/demo/campaign-leads.csv`);
  await v.locator('#lead-import').getByText('9 of 10 rows ready.').waitFor();
  await v.check('#skip-bad-rows');
  await v.locator('#import-leads-go:not([disabled])').waitFor();
  // ...then the other tab saves a change...
  const lead = (await storedDesk(second.page)).leads.find((l) => !l.assignedTo).id;
  const logged = await second.page.evaluate(async (id) => (await import('./js/desk.js')).change('Logging', {
    type: 'logActivity', id, activity: { kind: 'call', at: new Date(Date.now() - 60_000).toISOString(), note: 'the other tab' },
  }), lead);
  assert.ok(logged);
  // ...and the import is made again on a copy of that desk before it is adopted: neither is lost.
  await v.click('#import-leads-go');
  await v.locator('.toast.shown').getByText(/9 leads imported/).waitFor();
  const ws = await storedDesk(v);
  assert.ok(ws.leads.find((l) => l.id === lead).activities.some((a) => a.note === 'the other tab'), 'the other tab\'s change stands');
  assert.equal(ws.leads.length, leads + 9, 'the imported leads are there, once');
  assert.ok(ws.leads.some((l) => l.company === 'Kiruna Gruvteknik AB'));
  assert.deepEqual([...first.errors, ...second.errors], []);
});
