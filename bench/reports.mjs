// The reports and the sandbox in Chromium over the 100,000 registrations
// examples/bench_reports.rs writes (run by scripts/bench after it):
//   node bench/reports.mjs
import { readFile } from 'node:fs/promises';
import { launch, ROOT, serve } from '../tests/e2e/helpers.mjs';

const workspace = await readFile(`${ROOT}/target/bench/workspace-100k.json`, 'utf8');
const server = await serve({ directory: '.' });
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/www/`);
  page.setDefaultTimeout(900_000);
  const out = await page.evaluate(async (text) => {
    const pkg = await import('/www/pkg/dealreg.js');
    await pkg.default();
    const ws = JSON.parse(text);
    const asOf = '2026-11-27T09:00:00Z';
    const b = { ...ws.programme, protectionDays: 60 };
    const time = (f) => { const t = performance.now(); f(); return performance.now() - t; };
    const report = [0, 1, 2].map(() => time(() => pkg.buildReport(ws, asOf))).sort((x, y) => x - y)[1];
    // The first step of handing the workspace over (the module then reads the text).
    const stringify = [0, 1, 2].map(() => time(() => JSON.stringify(ws))).sort((x, y) => x - y)[1];
    const sandbox = time(() => pkg.simulate(ws.programme, b, ws, asOf));
    return { n: ws.registrations.length, report, stringify, sandbox };
  }, workspace);
  console.log(`Chromium ${await browser.version()}: report over ${out.n} registrations ${out.report.toFixed(0)} ms (median of 3, with handing the workspace over as JSON)`);
  console.log(`Chromium: of which JSON.stringify of the workspace ${out.stringify.toFixed(0)} ms (median of 3)`);
  console.log(`Chromium: sandbox, 90 against 60 days, over them ${out.sandbox.toFixed(0)} ms (one run)`);
} finally {
  await browser.close();
  server.stop();
}
