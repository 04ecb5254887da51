// End-to-end: a partner registers a deal with the keyboard alone: Tab and
// Shift+Tab to move, typing, Space on the checklist's boxes, Enter to open the
// form from the navigation and to submit. No mouse click after the desk is set up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApp, setUpDesk, storedDesk, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

const plusDays = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The focused element: its accessible label (label, aria-label or text), tag and type. */
const focused = (page) => page.evaluate(() => {
  const el = /** @type {HTMLElement & { labels?: NodeListOf<HTMLLabelElement> }} */ (document.activeElement);
  const name = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '';
  return { name: name.trim(), tag: el.tagName.toLowerCase(), type: el.getAttribute('type') ?? '' };
});

/** Presses `key` (Tab or Shift+Tab) until the focused element's label matches; fails after `limit` presses. */
async function focus(page, label, key = 'Tab', limit = 60) {
  for (let i = 0; i < limit; i++) {
    const now = await focused(page);
    if (typeof label === 'string' ? now.name === label : label.test(now.name)) return now;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached "${label}"; last: ${JSON.stringify(await focused(page))}`);
}

test('a partner registers a deal with the keyboard alone, and it is stored', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page, { partner: 'p-nordlys' });
  const before = (await storedDesk(page)).registrations.length;

  // From the top of the page to the navigation, and into the form.
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).name, 'Skip to content');
  await focus(page, 'Register a deal');
  await page.keyboard.press('Enter');
  await page.waitForSelector('main h1:text("Register a deal")');

  await focus(page, 'Company name');
  await page.keyboard.type('Keyboard Fjord AS');
  await focus(page, 'Web domain or e-mail');
  await page.keyboard.type('keyboardfjord.no');
  await focus(page, 'Quantity of NX edge router');
  await page.keyboard.type('6'); // focus by Tab selects the 0, typing replaces it
  await focus(page, 'Deal value');
  await page.keyboard.type('18500');
  await focus(page, 'Expected close');
  const close = plusDays(100);
  const [y, m, d] = close.split('-');
  await page.keyboard.type(`${m}${d}${y}`); // the date field's segments, month day year (en-US)

  // The checklist: Space ticks a box; one ticked by mistake is unticked.
  for (const item of ['Budget confirmed', 'Decision maker identified', 'Need stated by the customer', 'Timeline known', 'Competition known']) {
    await focus(page, item);
    await page.keyboard.press('Space');
  }
  await focus(page, 'Timeline known', 'Shift+Tab');
  await page.keyboard.press('Space');

  await focus(page, 'The customer\'s problem');
  await page.keyboard.type('Ships lose contact with the office in the fjords.');
  await focus(page, 'Contact name');
  await page.keyboard.type('Ingrid Fjell');

  // Back up to a field passed over, then submit with Enter on the button.
  await focus(page, 'Deal value', 'Shift+Tab');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('19500');
  await focus(page, 'Submit registration');
  await page.keyboard.press('Enter');

  await page.waitForSelector('h1:has-text("Keyboard Fjord AS") .badge:text("Submitted")');
  const stored = (await storedDesk(page)).registrations;
  assert.equal(stored.length, before + 1);
  const r = stored.find((x) => x.customer.name === 'Keyboard Fjord AS');
  assert.equal(r.status, 'submitted');
  assert.equal(r.customer.domain, 'keyboardfjord.no');
  assert.deepEqual(r.products, [{ sku: 'NX-RT10', quantity: 6 }]);
  assert.equal(r.value, 19500);
  assert.equal(r.expectedClose, close);
  assert.deepEqual([...r.qualification].sort(), ['budget', 'competition', 'decisionMaker', 'need']);
  assert.equal(r.businessCase.problem, 'Ships lose contact with the office in the fjords.');
  assert.equal(r.contact.name, 'Ingrid Fjell');
  assert.deepEqual(errors, []);
});
