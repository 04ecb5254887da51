// End-to-end: markup and script payloads in every text field of every kind of
// file the page reads (a backup, on a vendor and on a partner desk; a partner's
// submission; a lead file) and typed into every text field of the partner's
// form render as inert text in every view: no payload's script runs, no element
// of theirs appears, and the text is shown as it was written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApp, setUpDesk, storedDesk, tourViews, useServerAndBrowser } from './helpers.mjs';

const suite = useServerAndBrowser();

/** Each marks what it would inject with `data-pwned`, and what it would run sets `window.__pwned`. */
const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2" data-pwned>',
  '<svg onload="window.__pwned=3" data-pwned></svg>',
  '"><iframe data-pwned srcdoc="<script>parent.__pwned=4</script>"></iframe>',
  '<a href="javascript:window.__pwned=5" data-pwned>click</a>',
  '<details open ontoggle="window.__pwned=6" data-pwned>x</details>',
  '\'"><b data-pwned>bold</b>',
  '<style data-pwned>body{display:none}</style>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=7" data-pwned>',
  '&lt;img src=x onerror=window.__pwned=8&gt; &#60;b data-pwned&#62;',
  '{{constructor.constructor("window.__pwned=9")()}}',
  '${window.__pwned=10}',
  '<input autofocus onfocus="window.__pwned=11" data-pwned>',
  '<object data="javascript:window.__pwned=12" data-pwned></object>',
];

/** Fields that hold free text in our formats (not ids, codes, dates or e-mail addresses). */
const TEXT_FIELDS = new Set([
  'name', 'city', 'notes', 'reason', 'detail', 'label', 'note', 'justification', 'competingOffer',
  'problem', 'solution', 'competitors', 'what', 'owner', 'contactName', 'company', 'vendor', 'title',
  'why', 'description', 'industry', 'jobTitle',
]);

/**
 * `doc` with every non-empty free-text string (and a business case's `value`)
 * given a payload in front, in turn; returns how many were poisoned.
 */
function poison(doc) {
  let n = 0;
  const walk = (node, parentKey) => {
    if (Array.isArray(node)) { node.forEach((v) => walk(v, parentKey)); return; }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const text = TEXT_FIELDS.has(key) || (key === 'value' && parentKey === 'businessCase');
      if (typeof value === 'string' && value !== '' && text) {
        node[key] = `${PAYLOADS[n % PAYLOADS.length]} ${value}`;
        n += 1;
      } else {
        walk(value, key);
      }
    }
  };
  walk(doc, '');
  return n;
}

/** Asserts that nothing the payloads carry is in the page or ran. */
async function assertInert(page, where) {
  const found = await page.evaluate(() => ({
    pwned: /** @type {any} */ (window).__pwned,
    injected: [...document.querySelectorAll('[data-pwned], iframe, object, embed, svg[onload], img[onerror], details[ontoggle], input[onfocus], body style, main script')]
      .map((e) => e.outerHTML.slice(0, 80)),
  }));
  assert.equal(found.pwned, undefined, `a payload ran in ${where}`);
  assert.deepEqual(found.injected, [], `elements injected in ${where}`);
}

const file = (name, text, mimeType = 'application/json') => ({ name, mimeType, buffer: Buffer.from(text) });

for (const partner of [null, 'p-nordlys']) {
  test(`a backup with payloads in every text field, on a ${partner ? 'partner' : 'vendor'} desk: every view shows them as text`, async () => {
    const { page, errors } = await openApp(suite.browser, suite.url);
    await setUpDesk(page, { partner });
    const desk = await storedDesk(page);
    const count = poison(desk);
    assert.ok(count > 200, `${count} fields poisoned`);
    await page.click('nav a[href="#files"]');
    await page.setInputFiles('#backup-file', file('poisoned.json', JSON.stringify(desk)));
    await page.getByRole('dialog').getByRole('button', { name: 'Replace this desk' }).click();
    await page.locator('.toast.shown').getByText(/Backup restored/).waitFor();

    const visited = [];
    await tourViews(page, async (view) => { visited.push(view); await assertInert(page, view); });
    assert.ok(visited.length >= 9, visited.join(', '));
    // The registration with a business case, requests and an account plan, where there is one.
    const rich = desk.registrations.find((r) => r.accountPlan || r.requests?.length) ?? desk.registrations[0];
    await page.evaluate((id) => { location.hash = `registrations/${encodeURIComponent(id)}`; }, rich.id);
    await page.waitForSelector('main .registration h1');
    await assertInert(page, `registration ${rich.id}`);
    // The payloads are there, as text.
    const text = await page.textContent('main');
    assert.ok(text.includes(rich.customer.name), `${rich.customer.name} shown as text`);
    assert.ok(PAYLOADS.some((p) => text.includes(p)), 'a payload shown verbatim');
    assert.equal(await page.textContent('#programme-name'), desk.programme.name);
    assert.deepEqual(errors, []);
  });
}

test('payloads typed into every text field of the partner form, and in a submission and a lead file, stay text', async () => {
  const partner = await openApp(suite.browser, suite.url);
  await setUpDesk(partner.page, { partner: 'p-nordlys' });
  const p = partner.page;
  await p.click('nav a[href="#register"]');
  const fields = p.locator('main form input[type="text"], main form input:not([type]), main form input[type="search"], main form textarea');
  const n = await fields.count();
  assert.ok(n >= 5, `${n} text fields in the form`);
  for (let i = 0; i < n; i += 1) {
    const field = fields.nth(i);
    if (await field.isEditable()) await field.fill(`${PAYLOADS[i % PAYLOADS.length]} field ${i}`);
  }
  // Codes and addresses are checked, and a payload in them is refused with a message: valid ones.
  await p.getByLabel('Company name').fill(`${PAYLOADS[1]} Fjordbris Verft AS`);
  await p.getByLabel('Web domain or e-mail').fill('fjordbris.no');
  await p.getByLabel('Country').fill('NO');
  await p.getByLabel('Quantity of NX edge router').fill('2');
  await p.getByLabel('Deal value').fill('12000');
  await p.getByLabel('Expected close').fill(new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10));
  await assertInert(p, 'the form while typing');
  await p.getByRole('button', { name: 'Submit registration' }).click();
  await p.locator('.toast.shown').waitFor();
  await tourViews(p, (view) => assertInert(p, `partner ${view}`));
  const [download] = await Promise.all([
    p.waitForEvent('download'),
    (async () => { await p.click('nav a[href="#files"]'); await p.getByRole('button', { name: 'Export submission file' }).click(); })(),
  ]);
  const submission = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  assert.ok(submission.includes('Fjordbris Verft AS'));

  // The vendor reads that submission, and a lead file with payloads in every cell of text.
  const vendor = await openApp(suite.browser, suite.url);
  const v = vendor.page;
  await setUpDesk(v);
  await v.click('nav a[href="#files"]');
  await v.setInputFiles('#submission-files', file('submission.json', submission));
  await v.locator('main').getByText(/submission\.json/).first().waitFor();
  await assertInert(v, 'the import log');
  // The free-text columns of the demo's campaign export, each cell a payload.
  const header = 'Company,Country,Contact,E-mail,Campaign,Need';
  const rows = PAYLOADS.map((payload, i) => [`${payload} Lead Co ${i}`, 'SE', `${payload} Person ${i}`, `person${i}@leadco${i}.example`, 'Secure Edge webinar series', payload]
    .map((cell) => `"${cell.replaceAll('"', '""')}"`).join(','));
  await v.click('nav a[href="#leads"]');
  await v.setInputFiles('#lead-file', file('leads.csv', [header, ...rows].join('\n'), 'text/csv'));
  await v.locator('#lead-import').getByText(`${PAYLOADS.length} of ${PAYLOADS.length} rows ready.`).waitFor();
  await assertInert(v, 'the lead import preview');
  await v.click('#import-leads-go');
  await v.locator('.toast.shown').waitFor();
  await tourViews(v, (view) => assertInert(v, `vendor ${view}`));
  await v.click('nav a[href="#registrations"]');
  await v.getByLabel('Search registrations').fill('Fjordbris');
  assert.match(await v.textContent('main tbody'), /<img src=x onerror="window.__pwned=2" data-pwned> Fjordbris Verft AS/);
  assert.deepEqual([...partner.errors, ...vendor.errors], []);
});
