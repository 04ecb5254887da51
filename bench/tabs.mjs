// Two tabs of one big desk changing it at the same moment (run by scripts/bench):
//   node bench/tabs.mjs            (TRIALS=20 node bench/tabs.mjs for a shorter run)
// A vendor desk of 30,000 registrations (bigBackup in tests/e2e/helpers.mjs)
// open in two tabs; each trial, the first tab sets the account plan of one
// registration and the second tab that of another, `offset` ms later, the
// offsets spread from 0 to 2,000 ms. Prints how many changes were lost
// (reported done but not stored) and how many were silent (neither stored nor
// reported refused): both must be 0. tests/e2e/tabs.test.mjs runs the same on
// the demo desk as a test.
import { bigBackup, launch, openApp, serve } from '../tests/e2e/helpers.mjs';

const TRIALS = Number(process.env.TRIALS ?? 100);
const SIZE = 30_000;

const server = await serve();
const browser = await launch();
const first = await openApp(browser, server.url);
first.page.setDefaultTimeout(1_800_000);
// The big desk, stored as restoring its backup stores it.
await first.page.evaluate(async (text) => {
  localStorage.clear();
  const pkg = await import('./pkg/dealreg.js');
  await pkg.default();
  pkg.Desk.open().importBackup(text);
}, JSON.stringify(await bigBackup(SIZE)));
await first.page.reload();
await first.page.waitForSelector('body[data-ready]');
const second = await openApp(browser, server.url, first.context);
second.page.setDefaultTimeout(1_800_000);
const received = await first.page.evaluate(async () => (await import('./js/desk.js')).state().registrations
  .filter((r) => r.receivedAt).slice(0, 400).map((r) => r.id));

/** Counts the failures the page shows, from now on. */
const countFailures = (page) => page.evaluate(() => {
  // @ts-ignore
  window.__shown = 0;
  // @ts-ignore
  new MutationObserver((records) => { for (const r of records) window.__shown += r.addedNodes.length; })
    .observe(/** @type {Node} */ (document.getElementById('alerts')), { childList: true });
});
await countFailures(first.page);
await countFailures(second.page);

/** In a tab, at `at` (the page's clock), sets the plan of `id` to the note `note`; whether it went through, and how long it took. */
const change = (page, id, note, at) => page.evaluate(async ({ id, note, at }) => {
  const desk = await import('./js/desk.js');
  await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
  const t = performance.now();
  const done = await desk.change(`Planning ${id}`, { type: 'setAccountPlan', id, plan: { notes: note, steps: [] } });
  return { done, ms: performance.now() - t };
}, { id, note, at });

let reported = 0;
const times = [];
const started = Date.now();
for (let i = 0; i < TRIALS; i += 1) {
  const offset = Math.round((i * 2000) / Math.max(1, TRIALS - 1));
  const at = (await first.page.evaluate(() => Date.now())) + 200;
  const [a, b] = await Promise.all([
    change(first.page, received[i], `A ${i}`, at),
    change(second.page, received[200 + i], `B ${i}`, at + offset),
  ]);
  reported += Number(a.done) + Number(b.done);
  times.push(a.ms, b.ms);
}
const notes = await first.page.evaluate(async () => {
  const pkg = await import('./pkg/dealreg.js');
  const ws = JSON.parse(pkg.Desk.storedText() ?? '{}');
  return ws.registrations.map((/** @type {any} */ r) => r.accountPlan?.notes).filter(Boolean);
});
const stored = new Set(notes);
let kept = 0;
for (let i = 0; i < TRIALS; i += 1) kept += Number(stored.has(`A ${i}`)) + Number(stored.has(`B ${i}`));
// @ts-ignore
const shown = (await first.page.evaluate(() => window.__shown)) + (await second.page.evaluate(() => window.__shown));
times.sort((x, y) => x - y);
console.log(`Chromium ${await browser.version()}, ${new Date().toISOString().slice(0, 10)}: ${SIZE.toLocaleString('en')} registrations, two tabs, ${TRIALS} trials at offsets from 0 to 2,000 ms`);
console.log(`changes: ${2 * TRIALS}; reported done ${reported}, stored ${kept}, shown refused ${shown}; ` +
  `lost ${Math.max(0, reported - kept)}, silent ${2 * TRIALS - kept - shown}; ` +
  `a change took ${(times[times.length >> 1] / 1000).toFixed(1)} s median, ${(times.at(-1) / 1000).toFixed(1)} s slowest (waiting for the other tab included); ` +
  `${((Date.now() - started) / 60_000).toFixed(1)} min in all`);
await browser.close();
server.stop();
