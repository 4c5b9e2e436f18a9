// Opens Swagger UI (/swagger) in Debian's Chromium, headless, under the service's Content-Security-Policy, opens its
// Authorize dialog and prints one JSON object: the security schemes the dialog offers, the operations listed, and any
// console errors (a policy that blocked Swagger UI's own scripts or styles would show there).
//
//   node swagger_ui.mjs BASE_URL [--timeout SECONDS]
//
// Exit codes: 0 reported, 1 failed (see "error"), 3 timeout.
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

async function main() {
  const args = process.argv.slice(2);
  const timeoutIndex = args.indexOf('--timeout');
  const timeout = timeoutIndex >= 0 ? Number(args.splice(timeoutIndex, 2)[1]) : 120;
  if (args.length !== 1) throw new Error('usage: node swagger_ui.mjs BASE_URL [--timeout SECONDS]');
  const base = args[0].replace(/\/+$/, '');
  const timer = setTimeout(() => {
    process.stdout.write(JSON.stringify({ error: `timed out after ${timeout} s` }) + '\n');
    process.exit(3);
  }, timeout * 1000);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
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
    process.stdout.write(JSON.stringify({
      browser: `Chromium ${browser.version()}`,
      contentSecurityPolicy: response.headers()['content-security-policy'] ?? null,
      operations,
      schemes,
      consoleErrors,
    }, null, 2) + '\n');
  } finally {
    await browser.close();
    clearTimeout(timer);
  }
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String(e?.stack ?? e) }) + '\n');
  process.exit(1);
});
