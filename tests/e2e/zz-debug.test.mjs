import { test } from 'node:test';
import { openApp, setUpDesk, useServerAndBrowser } from './helpers.mjs';
const suite = useServerAndBrowser();
test('debug', async () => {
  const { page, errors } = await openApp(suite.browser, suite.url);
  await setUpDesk(page, { partner: 'p-lagom' });
  await page.click('nav a[href="#sandbox"]');
  await page.waitForSelector('#sandbox-work .programme-edit');
  await page.getByRole('button', { name: 'Run the sandbox' }).click();
  await page.waitForTimeout(3000);
  console.log(await page.locator('.problems, [role=alert], .field-error:not(:empty), .builder-status').allTextContents());
  console.log(errors);
});
