// Takes the README's screenshot: a vendor desk with the demo data, on the
// Registrations area. `npm run screenshot` (after scripts/run or scripts/test built www/pkg).
import { launch, openApp, serve, setUpDesk, ROOT } from '../tests/e2e/helpers.mjs';

const area = process.argv[2] ?? 'registrations';
const out = process.argv[3] ?? `${ROOT}/docs/screenshot.png`;
const server = await serve();
const browser = await launch();
try {
  const { page, errors } = await openApp(browser, server.url);
  await setUpDesk(page);
  await page.goto(`${server.url}/#${area}`);
  await page.waitForSelector('main h1');
  await page.waitForTimeout(4500); // let the toast leave
  await page.screenshot({ path: out });
  if (errors.length) console.error('page errors:', errors);
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server.stop();
}
