// Takes the README's screenshots from the served page (after scripts/run or
// scripts/test built www/pkg): `npm run screenshot` writes docs/*.png.
import { launch, openApp, serve, setUpDesk, ROOT } from '../tests/e2e/helpers.mjs';

const in90 = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);

/**
 * A vendor desk with the demo and its own key, beside `page`, after `edit`;
 * the path of its signed programme file.
 * @param {import('playwright-core').Page} page
 * @param {string} url
 * @param {(vendor: import('playwright-core').Page) => Promise<void>} [edit]
 */
async function signedProgramme(page, url, edit = async () => {}) {
  const vendor = await page.context().browser().newPage();
  await vendor.goto(`${url}/`);
  await vendor.waitForSelector('body[data-ready]');
  await setUpDesk(vendor);
  await vendor.goto(`${url}/#files`);
  await vendor.getByRole('button', { name: 'Make the signing key' }).click();
  await vendor.locator('.toast.shown').getByText('Signing key made').waitFor();
  await edit(vendor);
  await vendor.goto(`${url}/#files`);
  const [file] = await Promise.all([vendor.waitForEvent('download'), vendor.getByRole('button', { name: 'Export programme file' }).click()]);
  return file.path();
}

/**
 * A new vendor's programme, built in the forms from the template: two
 * products, a line, and two partners, saved.
 * @param {import('playwright-core').Page} page
 */
async function newProgramme(page) {
  const cell = (column, noun, n) => page.getByLabel(`${column} of ${noun} ${n}`, { exact: true });
  await page.getByLabel('Your company').fill('Acme Networks Ltd');
  await page.getByLabel('Programme name').fill('Acme Partner Advantage');
  await page.getByRole('button', { name: 'Start my programme' }).click();
  await page.locator('.programme-edit').waitFor();
  await page.getByRole('button', { name: 'Add product line' }).click();
  await cell('Product line', 'product line', 1).fill('Switching');
  for (const [n, sku, name, price] of [[1, 'AC-SW24', 'SW24 switch', '2400'], [2, 'AC-SW48', 'SW48 switch', '3900']]) {
    await page.getByRole('button', { name: 'Add product', exact: true }).click();
    await cell('SKU', 'product', n).fill(sku);
    await cell('Product', 'product', n).fill(name);
    await cell('List price', 'product', n).fill(price);
  }
  for (const [n, name, tier, countries] of [[1, 'Fjordnett AS', 'gold', 'NO, SE'], [2, 'Baltic Reseller OÜ', 'silver', 'EE, LV, LT']]) {
    await page.getByRole('button', { name: 'Add partner' }).click();
    await cell('Partner', 'partner', n).fill(name);
    await cell('Tier', 'partner', n).selectOption(tier);
    await cell('Countries', 'partner', n).fill(countries);
  }
  await page.getByRole('button', { name: 'Save programme' }).click();
  await page.locator('.saved-panel').waitFor();
}

/** Each scene sets a desk up and leaves the page as the picture should show it. */
const SCENES = {
  async setup(page) {
    await page.waitForSelector('#start-vendor');
  },
  async builder(page) {
    await newProgramme(page);
  },
  async invite(page) {
    await newProgramme(page);
    await page.waitForTimeout(4500); // let the toast leave
    await page.getByRole('button', { name: 'Invite Fjordnett AS' }).click();
    await page.waitForSelector('dialog[open] #invitation-link');
  },
  async register(page, url) {
    await setUpDesk(page, { partner: 'p-nordlys' });
    await page.goto(`${url}/#register`);
    await page.getByLabel('Company name').fill('Fjord Shipping AS');
    await page.getByLabel('Web domain or e-mail').fill('fjordshipping.no');
    await page.getByLabel('Quantity of NX edge router').fill('5');
    await page.getByLabel('Deal value').fill('32000');
    await page.getByLabel('Expected close').fill(in90);
    await page.getByLabel('Stage').selectOption('price');
    await page.evaluate(() => window.scrollTo(0, 0));
  },
  async review(page, url) {
    await setUpDesk(page);
    await page.goto(`${url}/#review`);
  },
  async conflicts(page, url) {
    await setUpDesk(page);
    await page.goto(`${url}/#conflicts`);
    await page.waitForSelector('details.evidence');
    await page.locator('details.evidence').first().evaluate((d) => { d.open = true; });
  },
  async files(page, url) {
    await setUpDesk(page);
    await page.goto(`${url}/#files`);
    await page.getByRole('button', { name: 'Make the signing key' }).click();
  },
  async adopt(page, url) {
    // The vendor lengthens protection and publishes; the partner sees the change before adopting.
    const file = await signedProgramme(page, url, async (vendor) => {
      await vendor.goto(`${url}/#programme`);
      await vendor.getByLabel('Protection days').fill('120');
      await vendor.getByRole('button', { name: 'Save programme' }).click();
      await vendor.locator('.saved-panel').waitFor();
    });
    await setUpDesk(page, { partner: 'p-nordlys' });
    await page.goto(`${url}/#files`);
    await page.waitForTimeout(4500); // let the toast leave
    await page.setInputFiles('#programme-file-input', file);
    await page.waitForSelector('dialog');
  },
  async 'vendor-key'(page, url) {
    // The vendor's key changed: the partner compares both keys before trusting the new one.
    const [old, moved] = [await signedProgramme(page, url), await signedProgramme(page, url)];
    await setUpDesk(page, { partner: 'p-nordlys' });
    await page.goto(`${url}/#files`);
    await page.setInputFiles('#programme-file-input', old);
    await page.getByRole('dialog').getByRole('button', { name: 'Adopt this programme' }).click();
    await page.waitForTimeout(4500); // let the toast leave
    await page.locator('#vendor-key').evaluate((e) => e.scrollIntoView());
    await page.setInputFiles('#trust-key-input', moved);
    await page.waitForSelector('dialog[open]');
    return 'keep scroll';
  },
  async leads(page, url) {
    await setUpDesk(page);
    await page.goto(`${url}/#leads`);
    await page.waitForSelector('table.leads');
  },
  async 'lead-import'(page, url) {
    await setUpDesk(page);
    await page.goto(`${url}/#leads`);
    await page.waitForTimeout(4500); // let the toast leave
    await page.setInputFiles('#lead-file', `${ROOT}/www/demo/campaign-leads.csv`);
    await page.waitForSelector('#lead-import');
  },
  async lead(page, url) {
    // A partner's qualified lead, with its score, activities and Convert.
    await setUpDesk(page, { partner: 'p-nordlys' });
    const id = await page.evaluate(() => JSON.parse(localStorage.getItem('dealreg.workspace')).leads
      .find((l) => l.status === 'qualified' && l.activities.length >= 3)?.id);
    await page.goto(`${url}/#leads/${id}`);
    await page.waitForSelector('.lead-page');
  },
  async reports(page, url) {
    await setUpDesk(page);
    await page.goto(`${url}/#reports`);
    await page.waitForSelector('svg.chart');
  },
  async 'pricing-audit'(page, url) {
    // The fair-pricing audit: Tulip flagged for Gold terms without a reason.
    await setUpDesk(page);
    await page.goto(`${url}/#reports`);
    await page.waitForSelector('#pricing-stats');
    await page.waitForTimeout(4500); // let the toast leave
    await page.locator('#fair-pricing').evaluate((e) => e.scrollIntoView());
    return 'keep scroll';
  },
  async sandbox(page, url) {
    await setUpDesk(page);
    await page.goto(`${url}/#sandbox`);
    await page.waitForSelector('#sandbox-work .programme-edit');
    await page.getByLabel('Protection days').fill('60');
    await page.getByRole('button', { name: 'Run the sandbox' }).click();
    await page.waitForSelector('#sandbox-differences');
    await page.waitForTimeout(4500); // let the toast leave
    await page.locator('#sandbox-results h2').evaluate((e) => e.scrollIntoView());
    return 'keep scroll';
  },
  async registrations(page, url) {
    await setUpDesk(page);
    await page.goto(`${url}/#registrations`);
  },
};

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(SCENES);
const server = await serve();
const browser = await launch();
try {
  for (const name of names) {
    const { page, context, errors } = await openApp(browser, server.url);
    const keep = await SCENES[name](page, server.url);
    await page.waitForSelector('main h1');
    const dialog = await page.$('dialog[open]');
    if (!dialog && !keep) {
      await page.waitForTimeout(4500); // let the toast leave
      await page.evaluate(() => { /** @type {HTMLElement} */ (document.activeElement)?.blur(); window.scrollTo(0, 0); });
    }
    const out = `${ROOT}/docs/${name}.png`;
    await page.screenshot({ path: out });
    if (errors.length) console.error(`${name}: page errors:`, errors);
    console.log(`wrote ${out}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}
