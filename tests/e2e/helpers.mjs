// Shared by the end-to-end tests and scripts/screenshot.mjs: serve www/ on a
// free loopback port with Python's static server (it serves .wasm as
// application/wasm), and launch Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Serves a folder of the repository (www/ unless told) until `stop()`.
 * @param {{ directory?: string }} [options]
 */
export async function serve({ directory = 'www' } = {}) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', directory], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${url}/`)).ok) break;
    } catch {
      if (tries > 100) throw new Error(`the static server did not start on ${url}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, stop: () => child.kill() };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
}

/**
 * A fresh page (its own localStorage) at the app, waiting until it is ready.
 * Failed requests and page errors are collected so a test can assert there were none.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 */
export async function openApp(browser, url, context = undefined) {
  const ctx = context ?? (await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 860 } }));
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The page looks for a programme file its site may host beside it; most sites have none.
    const probe = m.location().url.endsWith('/programme.json') && m.text().includes('404');
    if (m.type() === 'error' && !probe) errors.push(m.text());
  });
  await page.goto(`${url}/`);
  await page.waitForSelector('body[data-ready]');
  return { page, context: ctx, errors };
}

/** Sets up a desk through the first-run screen. */
export async function setUpDesk(page, { partner = null, demo = true } = {}) {
  if (partner) {
    await page.getByLabel(/Partner/).first().check();
    await page.selectOption('#setup-partner', partner);
  } else {
    await page.getByLabel(/Vendor/).check();
  }
  if (!demo) await page.uncheck('#setup-demo');
  await page.click('#setup-start');
  if (demo) await page.waitForSelector('.toast.shown');
}

/**
 * One static server and one browser for the tests of a file: started before
 * them, stopped after. Read `suite.url` and `suite.browser` inside a test.
 */
export function useServerAndBrowser() {
  const suite = { url: '', browser: null };
  let server;
  before(async () => {
    server = await serve();
    suite.url = server.url;
    suite.browser = await launch();
  });
  after(async () => {
    await suite.browser?.close();
    server?.stop();
  });
  return suite;
}

/**
 * Visits every view of a desk set up with the demo, calling `visit(name)` on
 * each once it is drawn: the areas in the navigation, a registration's page,
 * a lead's page, and the sandbox after a run (its charts drawn).
 * @param {import('playwright-core').Page} page
 * @param {(name: string) => Promise<void>} visit
 */
export async function tourViews(page, visit) {
  const areas = await page.locator('nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href').slice(1)));
  const ws = await page.evaluate(() => JSON.parse(localStorage.getItem('dealreg.workspace')));
  const registration = ws.registrations[0].id;
  const lead = ws.leads[0]?.id;
  for (const area of areas) {
    await page.click(`nav a[href="#${area}"]`);
    await page.waitForSelector(`nav a[href="#${area}"][aria-current="page"]`);
    await page.waitForSelector('main h1');
    if (area === 'sandbox') {
      await page.waitForSelector('#sandbox-work .editor');
      await page.getByRole('button', { name: 'Run the sandbox' }).click();
      await page.waitForSelector('#sandbox-sides');
    }
    await visit(area);
    if (area === 'registrations') {
      await page.evaluate((id) => { location.hash = `registrations/${encodeURIComponent(id)}`; }, registration);
      await page.waitForSelector('main .registration h1');
      await visit('a registration');
    }
    if (area === 'leads' && lead) {
      await page.evaluate((id) => { location.hash = `leads/${encodeURIComponent(id)}`; }, lead);
      await page.waitForSelector('main .lead-page h1');
      await visit('a lead');
    }
  }
}
