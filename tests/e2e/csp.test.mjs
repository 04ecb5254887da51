// End-to-end: the page's Content-Security-Policy (the <meta> in index.html)
// allows only the site's own scripts and WebAssembly, and the page needs
// nothing more: a tour of every view, for a vendor and a partner, raises no
// violation and logs no error; a script that a payload manages to put into
// the DOM does not run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApp, setUpDesk, tourViews, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

/** A fresh context that records every CSP violation the page reports. */
async function watchedContext() {
  const context = await suite.browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 860 } });
  // Init scripts come through the DevTools protocol, not the page: the CSP does not apply to them.
  await context.addInitScript(() => {
    /** @type {string[]} */
    const seen = [];
    Object.defineProperty(window, '__violations', { value: seen });
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return context;
}

for (const [who, partner] of [['vendor', null], ['partner', 'p-nordlys']]) {
  test(`a ${who} desk, every view, runs under the policy with no violation`, async () => {
    const { page, errors } = await openApp(suite.browser, suite.url, await watchedContext());
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval';/);
    await setUpDesk(page, { partner });
    const visited = [];
    await tourViews(page, async (view) => {
      visited.push(view);
      assert.deepEqual(await page.evaluate(() => window.__violations), [], `violations on ${view}`);
    });
    assert.ok(visited.length === (partner ? 9 : 11), visited.join(', '));
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}

test('a script put into the page by a payload is blocked', async () => {
  const { page, context } = await openApp(suite.browser, suite.url, await watchedContext());
  await setUpDesk(page);
  await page.evaluate(() => {
    document.head.append(Object.assign(document.createElement('script'), { textContent: 'window.__csp = 1' }));
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.__csp = 2');
    img.src = 'data:,not-an-image';
    document.body.append(img);
    const a = document.createElement('a');
    a.href = 'javascript:window.__csp = 3';
    document.body.append(a);
    a.click();
  });
  await page.waitForFunction(() => window.__violations.length >= 3);
  assert.equal(await page.evaluate(() => window.__csp), undefined);
  const directives = await page.evaluate(() => window.__violations.map((v) => v.split(' ')[0]));
  assert.ok(directives.every((d) => d.startsWith('script-src')), directives.join(', '));
  // A script from another origin is refused too.
  await page.evaluate(() => document.head.append(Object.assign(document.createElement('script'), { src: 'https://example.com/x.js' })));
  await page.waitForFunction(() => window.__violations.some((v) => v.includes('https://example.com/x.js')));
  await context.close();
});
