// End-to-end: axe-core (the accessibility engine, an npm devDependency) finds
// no serious or critical violation on any view of a vendor and a partner desk
// with the demo loaded. axe is injected as an inline script, which the page's
// own CSP refuses, so these contexts are made with `bypassCSP: true`: only
// here, and csp.test.mjs checks the policy itself.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { openApp, setUpDesk, tourViews, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();
const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical violations on the page as it is now, each with where. */
async function violations(page) {
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
  return found;
}

for (const [who, partner] of [['vendor', null], ['partner', 'p-nordlys']]) {
  test(`a ${who} desk with the demo: no serious or critical axe violation on any view`, async () => {
    const context = await suite.browser.newContext({ bypassCSP: true, viewport: { width: 1360, height: 860 } });
    const { page, errors } = await openApp(suite.browser, suite.url, context);
    await page.addScriptTag({ content: axe });
    const report = {};
    const setup = await violations(page);
    if (setup.length) report.setup = setup;
    await setUpDesk(page, { partner });
    await tourViews(page, async (view) => {
      const found = await violations(page);
      if (found.length) report[view] = found;
    });
    assert.deepEqual(report, {}, JSON.stringify(report, null, 2));
    assert.deepEqual(errors, []);
    await context.close();
  });
}
