// The reports and the sandbox in Chromium over the 100,000 registrations
// examples/bench_reports.rs writes (run by scripts/bench after it):
//   node bench/reports.mjs
import { launch, serve } from '../tests/e2e/helpers.mjs';

const server = await serve({ directory: '.' });
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/www/`);
  page.setDefaultTimeout(900_000);
  // Fetched by the page: 93 MB is too much for one of Playwright's messages.
  const out = await page.evaluate(async () => {
    const pkg = await import('/www/pkg/dealreg.js');
    await pkg.default();
    const ws = await (await fetch('/target/bench/workspace-100k.json')).json();
    const asOf = '2026-11-27T09:00:00Z';
    const b = { ...ws.programme, protectionDays: 60 };
    const time = (f) => { const t = performance.now(); f(); return performance.now() - t; };
    const report = [0, 1, 2].map(() => time(() => pkg.buildReport(ws, asOf))).sort((x, y) => x - y)[1];
    // The first step of handing the workspace over (the module then reads the text).
    const stringify = [0, 1, 2].map(() => time(() => JSON.stringify(ws))).sort((x, y) => x - y)[1];
    const sandbox = time(() => pkg.simulate(ws.programme, b, ws, asOf));
    // The page's sandbox: the data set prepared once, then one change after another.
    let prepared;
    const prepare = time(() => { prepared = new pkg.Sandbox(ws, asOf); });
    // As the page does while the data loads: side A decided ahead.
    const keep = time(() => prepared.keepSideA(ws.programme));
    const first = time(() => prepared.simulate(ws.programme, b));
    const again = [45, 75, 30].map((protectionDays) => time(() => prepared.simulate(ws.programme, { ...ws.programme, protectionDays }))).sort((x, y) => x - y)[1];
    const higher = { ...ws.programme, minimumDealValue: 20000 };
    let differing = 0;
    const minimum = time(() => { differing = prepared.simulate(ws.programme, higher).differences.length; });
    const outline = time(() => prepared.simulate(ws.programme, higher, 100));
    prepared.free();
    // Loading the workspace as a backup file in the page's sandbox: the text
    // read once in the module (Sandbox.fromFile), against the way the page
    // did it before (parsed in JS, read as a backup, handed over again).
    const text = JSON.stringify(ws);
    let fromFile;
    const loadFile = time(() => { fromFile = pkg.Sandbox.fromFile(text, asOf); fromFile.keepSideA(fromFile.programme); });
    fromFile.free();
    const loadBefore = time(() => {
      JSON.parse(text);
      const backup = pkg.readBackup(text);
      const s = new pkg.Sandbox({ registrations: backup.registrations }, asOf);
      s.keepSideA(backup.programme);
      s.free();
    });
    // The page's own report: a desk holding the 100,000 (restored from the
    // workspace as a backup; more than localStorage holds, so kept in memory),
    // nothing handed over. The first report, then the median of 3.
    localStorage.clear();
    const desk = pkg.Desk.open();
    desk.importBackup(JSON.stringify(ws));
    const deskFirst = time(() => desk.report(asOf));
    const deskReport = [0, 1, 2].map(() => time(() => desk.report(asOf))).sort((x, y) => x - y)[1];
    const unsaved = desk.unsaved;
    desk.free();
    localStorage.clear();
    return { n: ws.registrations.length, report, stringify, loadFile, loadBefore, deskFirst, deskReport, unsaved, sandbox, prepare, keep, first, again, minimum, outline, differing };
  });
  console.log(`Chromium ${await browser.version()}: report over ${out.n} registrations ${out.report.toFixed(0)} ms (median of 3, with handing the workspace over as JSON)`);
  console.log(`Chromium: the page's desk.report over a desk holding them (${out.unsaved ? 'kept in memory: more than localStorage holds' : 'stored'}): ${out.deskFirst.toFixed(0)} ms the first, ${out.deskReport.toFixed(0)} ms (median of 3 after it)`);
  console.log(`Chromium: of which JSON.stringify of the workspace ${out.stringify.toFixed(0)} ms (median of 3)`);
  console.log(`Chromium: sandbox, 90 against 60 days, over them ${out.sandbox.toFixed(0)} ms (one run, simulate with the data set handed over)`);
  console.log(`Chromium: a Sandbox prepared from the data set (handed over, read, indexed) ${out.prepare.toFixed(0)} ms; side A decided ahead ${out.keep.toFixed(0)} ms; then a first run, 90 against 60 days, ${out.first.toFixed(0)} ms; each other window after it (45, 75, 30 days), side A kept, ${out.again.toFixed(0)} ms (median of 3)`);
  console.log(`Chromium: loading them as a backup file in the sandbox, side A decided: ${out.loadFile.toFixed(0)} ms read once in the module (Sandbox.fromFile), ${out.loadBefore.toFixed(0)} ms parsed in JS, read as a backup and handed over again`);
  console.log(`Chromium: a minimum deal value of 20,000 after it, side A kept: ${out.minimum.toFixed(0)} ms, ${out.differing} registrations decided otherwise, each explained; ${out.outline.toFixed(0)} ms with the first 100 explained (as the page asks)`);
} finally {
  await browser.close();
  server.stop();
}
