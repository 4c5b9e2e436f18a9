// Opens Swagger UI (/swagger) in Debian's Chromium, headless, under the service's Content-Security-Policy, opens its
// Authorize dialog and prints one JSON object: the security schemes the dialog offers, the operations listed, and any
// console errors (a policy that blocked Swagger UI's own scripts or styles would show there).
//
//   node swagger_ui.mjs BASE_URL [--timeout SECONDS]
//
// Exit codes: 0 reported, 1 failed (see "error"), 3 timeout.
import { runWithBrowser, takeTimeout } from './browser.mjs';

const args = process.argv.slice(2);
const timeout = takeTimeout(args);
const base = (args[0] ?? '').replace(/\/+$/, '');

await runWithBrowser(timeout, async (browser) => {
  if (args.length !== 1) throw new Error('usage: node swagger_ui.mjs BASE_URL [--timeout SECONDS]');
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const response = await page.goto(`${base}/swagger/index.html`);
  await page.waitForSelector('.opblock', { timeout: 30000 });
  const operations = await page.$$eval('.opblock-summary-path', (nodes) => nodes.length);
  await page.click('button.authorize');
  await page.waitForSelector('.auth-container', { timeout: 10000 });
  const schemes = await page.$$eval('.auth-container h4', (nodes) => nodes.map((n) => n.textContent.trim()));
  return { contentSecurityPolicy: response.headers()['content-security-policy'] ?? null, operations, schemes, consoleErrors };
});
