// Shared by the end-to-end tests and scripts/screenshot.mjs: serve www/ on a
// free loopback port with Python's static server (it serves .wasm as
// application/wasm), and launch Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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

/** Sets up a demo desk through the first-run screen, as the vendor or as one of the demo's partners. */
export async function setUpDesk(page, { partner = null } = {}) {
  if (partner) {
    await page.selectOption('#demo-partner', partner);
    await page.click('#demo-as-partner');
  } else {
    await page.click('#demo-as-vendor');
  }
  await page.locator('.toast.shown').getByText('Demo desk set up').waitFor();
}

/**
 * The programme builder's JSON box, opened (it is folded away for specialists).
 * @param {import('playwright-core').Page} page
 */
export async function programmeJson(page) {
  const box = page.locator('details.json-box');
  if (!(await box.evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open))) await box.locator('summary').click();
  return page.getByLabel('Programme as JSON');
}

/**
 * Presses Save programme and waits for the panel that says what changed.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ panel: import('playwright-core').Locator, changes: string[] }>}
 */
export async function saveProgramme(page) {
  await page.getByRole('button', { name: 'Save programme' }).click();
  const panel = page.getByRole('status', { name: 'Programme saved' });
  await panel.getByRole('heading', { name: 'Programme saved' }).waitFor();
  return { panel, changes: await panel.locator('ul.changes li').allTextContents() };
}

/**
 * Clicks a button that downloads a file; returns the file as an upload for another page.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} button
 */
export async function downloadFrom(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), mimeType: 'application/json', buffer: await readFile(await download.path()) };
}

/**
 * Fills the partner's registration form for `customer` (two routers, 12,000
 * EUR, closing in 60 days) and saves it as a draft or submits it.
 * @param {import('playwright-core').Page} page
 * @param {string} customer
 * @param {'Save draft' | 'Submit registration'} [button]
 */
export async function registerThroughForm(page, customer, button = 'Save draft') {
  await page.click('nav a[href="#register"]');
  await page.getByLabel('Company name').fill(customer);
  await page.getByLabel('Quantity of NX edge router').fill('2');
  await page.getByLabel('Deal value').fill('12000');
  await page.getByLabel('Expected close').fill(new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10));
  await page.getByRole('button', { name: button }).click();
}

/**
 * Fills the origin's localStorage with other keys until under 16 characters
 * are left (the copy kept from before the last save goes first); how many
 * fillers it took, for `emptyStorage`.
 * @param {import('playwright-core').Page} page
 */
export function fillStorage(page) {
  return page.evaluate(() => {
    localStorage.removeItem('dealreg.workspace.previous');
    let n = 0;
    for (const size of [256 * 1024, 1024, 16]) {
      const chunk = 'x'.repeat(size);
      try { for (;;) { localStorage.setItem(`filler.${n}`, chunk); n += 1; } } catch { /* full */ }
    }
    return n;
  });
}

/**
 * Takes away the fillers `fillStorage` put in.
 * @param {import('playwright-core').Page} page
 * @param {number} fillers
 */
export function emptyStorage(page, fillers) {
  return page.evaluate((n) => { for (let i = 0; i < n; i += 1) localStorage.removeItem(`filler.${i}`); }, fillers);
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
  const ws = await storedDesk(page);
  const registration = ws.registrations[0].id;
  const lead = ws.leads[0]?.id;
  for (const area of areas) {
    await page.click(`nav a[href="#${area}"]`);
    await page.waitForSelector(`nav a[href="#${area}"][aria-current="page"]`);
    await page.waitForSelector('main h1');
    if (area === 'sandbox') {
      await page.waitForSelector('#sandbox-work .programme-edit');
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

/**
 * A vendor's backup file (as an object) holding `n` registrations: the demo
 * programme, and the demo's registrations copied over with real company
 * names (bench/company-names.txt), their own domains, contacts, phones,
 * values and times, so the desk is as varied as a real one, not a repetition
 * that packs unusually small. Seeded: the same `n` gives the same desk.
 * For the capacity test and bench/capacity.mjs.
 * @param {number} n
 */
export async function bigBackup(n) {
  const read = async (path) => readFile(`${ROOT}/${path}`, 'utf8');
  const programme = JSON.parse(await read('www/demo/programme.json'));
  const dataset = JSON.parse(await read('www/demo/dataset.json'));
  const names = (await read('bench/company-names.txt')).split('\n').filter((l) => l && !l.startsWith('#'));
  const people = dataset.registrations.map((r) => r.contact?.name).filter(Boolean).map((name) => name.split(' '));
  let seed = 0x2f6b1d3;
  const random = () => { // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (list) => list[Math.floor(random() * list.length)];
  const shift = (time, minutes) => time && new Date(Date.parse(time) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
  const shiftDay = (day, minutes) => day && shift(`${day}T12:00:00Z`, minutes).slice(0, 10);
  const registrations = Array.from({ length: n }, (_, i) => {
    const r = structuredClone(dataset.registrations[i % dataset.registrations.length]);
    const name = names[i % names.length];
    const domain = `${name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '').slice(0, 20) || 'customer'}.com`;
    const [first, last] = [pick(people)[0], pick(people).at(-1)];
    // Spread over the programme year's past, in whole minutes.
    const minutes = -Math.floor(random() * 120 * 24 * 60);
    r.id = `R-${String(i + 1).padStart(6, '0')}`;
    r.customer = { ...r.customer, name, domain };
    r.contact = { name: `${first} ${last}`, email: `${first}.${last}@${domain}`.toLowerCase(), phone: `+44 ${Math.floor(1e6 + random() * 9e6)}` };
    r.value = Math.round(5_000 + random() * 195_000);
    for (const key of ['createdAt', 'receivedAt', 'closedAt']) r[key] = shift(r[key], minutes);
    for (const key of ['protectedUntil', 'expectedClose']) r[key] = shiftDay(r[key], minutes);
    if (r.decision) r.decision.at = shift(r.decision.at, minutes);
    // Records the copy does not carry: leads, and requests whose ids name the original.
    r.leadId = null;
    r.campaignId = null;
    delete r.requests;
    delete r.accountPlan;
    return r;
  });
  return {
    format: 'dealreg.workspace', version: 4, role: { kind: 'vendor' }, programme,
    registrations, leads: [], campaigns: dataset.campaigns, audit: [], updatedAt: null,
  };
}

/**
 * The desk kept in the page's localStorage, as an object: read back from its
 * compact form by the page's own wasm module (`Desk.storedText`); `{}` if none.
 * @param {import('playwright-core').Page} page
 */
export function storedDesk(page) {
  return page.evaluate(async () => {
    const pkg = await import('./pkg/dealreg.js');
    await pkg.default();
    const text = pkg.Desk.storedText();
    return text ? JSON.parse(text) : {};
  });
}

/**
 * Every value this origin keeps in localStorage, as plain text: each packed
 * copy of the desk (the current one and the one from before the last save)
 * unpacked by the page's own module.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string[]>}
 */
export function storedTexts(page) {
  return page.evaluate(async () => {
    const pkg = await import('./pkg/dealreg.js');
    await pkg.default();
    const current = localStorage.getItem('dealreg.workspace');
    const texts = [];
    for (const key of Object.keys(localStorage)) {
      const value = /** @type {string} */ (localStorage.getItem(key));
      if (!value.startsWith('dealreg:z1:')) {
        texts.push(value);
        continue;
      }
      // Unpacked where the module reads the desk from, then put back as it was.
      localStorage.setItem('dealreg.workspace', value);
      texts.push(pkg.Desk.storedText() ?? '');
    }
    if (current !== null) localStorage.setItem('dealreg.workspace', current);
    return texts;
  });
}

/**
 * Waits until the stored desk satisfies `ready` (a save is synchronous, but a
 * click's handler may run after the click returns).
 * @param {import('playwright-core').Page} page
 * @param {(ws: any) => unknown} ready
 */
export async function waitForStored(page, ready, timeout = 10_000) {
  const until = Date.now() + timeout;
  for (;;) {
    if (ready(await storedDesk(page))) return;
    if (Date.now() > until) throw new Error(`the stored desk did not become ${ready} in ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
