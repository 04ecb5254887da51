// Capacity and start-up with a big desk in Chromium (run by scripts/bench):
//   node bench/capacity.mjs
// Prints: how much of the origin's localStorage desks of 50,000 and 80,000
// registrations take (and whether they fit), and how long the page takes
// from navigation to ready (the `dealreg:ready` mark app.js sets once the
// overview is drawn) with 10,000 registrations stored, next to the demo desk
// (109) and an empty one in the same run; and the page's own report
// (`desk.report`) over the big desks. Desks come from `bigBackup` in
// tests/e2e/helpers.mjs: real company names, varied contacts and values.
import { bigBackup, launch, openApp, serve } from '../tests/e2e/helpers.mjs';

const QUOTA = 5_242_879; // UTF-16 units per origin, measured in this Chromium
const RUNS = 11;

const server = await serve();
const browser = await launch();
const { page } = await openApp(browser, server.url);
page.setDefaultTimeout(600_000);

/** Replaces the stored desk with `backup` through the wasm Desk, as restoring a backup file does. */
async function store(backup) {
  return page.evaluate(async (text) => {
    localStorage.clear();
    const pkg = await import('./pkg/dealreg.js');
    await pkg.default();
    const desk = pkg.Desk.open();
    const t = performance.now();
    desk.importBackup(text);
    const ms = performance.now() - t;
    const used = Object.keys(localStorage).reduce((n, k) => n + k.length + localStorage.getItem(k).length, 0);
    const reopened = pkg.Desk.open();
    // The page's own report over the desk (no workspace handed over), median of 3.
    const report = [0, 1, 2].map(() => { const t0 = performance.now(); reopened.report('2026-11-27T09:00:00Z'); return performance.now() - t0; }).sort((a, b) => a - b)[1];
    return { ms, used, report, unsaved: desk.unsaved ?? null, count: reopened.state().registrations.length };
  }, JSON.stringify(backup));
}

/**
 * Median and slowest of `RUNS` reloads, navigation to ready, by the page's own
 * clock. After one reload not timed: the first opening of a desk restored
 * from older data expires the registrations whose protection ran out, and
 * saves (once a day at most in use).
 */
async function ready() {
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  const times = [];
  for (let i = 0; i < RUNS; i += 1) {
    await page.reload();
    await page.waitForSelector('body[data-ready]');
    times.push(await page.evaluate(() => performance.getEntriesByName('dealreg:ready')[0].startTime));
  }
  times.sort((a, b) => a - b);
  return `median ${times[RUNS >> 1].toFixed(0)} ms, slowest ${times.at(-1).toFixed(0)} ms (${RUNS} reloads)`;
}

console.log(`Chromium ${await browser.version()}, quota ${QUOTA.toLocaleString('en')} UTF-16 units per origin`);
for (const n of [50_000, 80_000]) {
  const backup = await bigBackup(n);
  const json = JSON.stringify(backup).length;
  const r = await store(backup);
  const fits = r.unsaved === null && r.count === n;
  console.log(`${n.toLocaleString('en')} registrations (${(json / 1e6).toFixed(1)} MB as JSON): ${fits ? 'kept' : `NOT kept (${r.unsaved})`}, ` +
    `${r.used.toLocaleString('en')} units stored (${(100 * r.used / QUOTA).toFixed(0)}% of the quota), restoring took ${r.ms.toFixed(0)} ms; ` +
    `desk.report over it ${r.report.toFixed(0)} ms (median of 3)`);
}
await page.evaluate(() => localStorage.clear());
await page.reload();
await page.waitForSelector('body[data-ready]');
console.log(`ready, empty desk (setup screen): ${await ready()}`);
await page.click('#demo-as-vendor');
await page.locator('.toast.shown').waitFor();
console.log(`ready, demo desk (109 registrations): ${await ready()}`);
const r = await store(await bigBackup(10_000));
console.log(`ready, 10,000 registrations stored (${r.used.toLocaleString('en')} units): ${await ready()}`);
await browser.close();
server.stop();
