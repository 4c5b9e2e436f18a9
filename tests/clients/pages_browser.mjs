// Walks the OGC API's HTML pages as a person would, in a real browser (Debian's Chromium, headless, driven by
// playwright-core): the landing page, then a register's collection page, its features, and one feature, each reached
// by clicking the link on the page before. Prints one JSON object with what each page showed and every error the
// browser reported (console errors include Content-Security-Policy violations). It measures; the xunit test decides.
//
//   node pages_browser.mjs BASE_URL [--lang ja|en] [--screenshot PATH.png] [--timeout SECONDS]
//
// --screenshot keeps each page for people to look at (pages.png -> pages-landing.png, pages-item.png …).
// Exit codes: 0 measured, 1 failed (see "error"), 3 timeout.
import { runScript, takeTimeout } from './browser.mjs';

function parseArguments(argv) {
  const args = [...argv];
  const timeout = takeTimeout(args);
  const options = { lang: 'ja', screenshot: null, timeout };
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--lang') options.lang = args[++i];
    else if (args[i] === '--screenshot') options.screenshot = args[++i];
    else positional.push(args[i]);
  }
  if (positional.length !== 1 || !['ja', 'en'].includes(options.lang))
    throw new Error('usage: node pages_browser.mjs BASE_URL [--lang ja|en] [--screenshot PATH.png] [--timeout SECONDS]');
  return { baseUrl: positional[0].replace(/\/+$/, ''), ...options };
}

const named = (path, name) => (path ? path.replace(/(\.[^./]*)?$/, (ext) => `-${name}${ext}`) : null);

// Runs in the page: what a reader sees.
function describePage() {
  const map = document.querySelector('svg.map');
  const box = map?.getBoundingClientRect();
  return {
    documentLang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelector('h1')?.textContent ?? null,
    jsonAlternate: document.querySelector('link[rel="alternate"][type*="json"]')?.href ?? null,
    languageLink: document.querySelector('nav a[hreflang]')?.textContent ?? null,
    rows: document.querySelectorAll('table.features tbody tr').length,
    mapShapes: map ? map.querySelectorAll('path').length : null,
    mapBox: box ? { width: Math.round(box.width), height: Math.round(box.height) } : null,
    horizontalScroll: document.documentElement.scrollWidth > document.documentElement.clientWidth,
  };
}

async function walk(browser, options) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: options.lang === 'ja' ? 'ja-JP' : 'en-GB' });
  const page = await context.newPage();
  const problems = [];
  const otherRequests = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  // The pages are self-contained: anything loaded besides the pages themselves (the browser's favicon probe aside).
  page.on('request', (r) => {
    if (!r.isNavigationRequest() && new URL(r.url()).pathname !== '/favicon.ico') otherRequests.push(r.url());
  });

  const pages = {};
  const record = async (name, response) => {
    await page.waitForLoadState('load');
    pages[name] = {
      url: page.url(),
      status: response?.status() ?? null,
      contentType: response?.headers()['content-type'] ?? null,
      accept: response ? (await response.request().allHeaders()).accept ?? null : null,
      ...(await page.evaluate(describePage)),
    };
    if (options.screenshot) await page.screenshot({ path: named(options.screenshot, name), fullPage: true });
  };
  // Follows a link the way a reader does: a click, and the navigation it starts.
  const follow = async (name, selector) => {
    const link = page.locator(selector).first();
    const navigation = page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame());
    await link.click();
    await record(name, await navigation);
  };

  // No f and no lang: the browser's own Accept and Accept-Language headers choose the page and its language.
  await record('landing', await page.goto(`${options.baseUrl}/`, { waitUntil: 'load' }));
  await follow('collection', 'ul.registers a.register');
  await follow('items', '#items-link');
  await follow('item', 'table.features td.id a');

  await context.close();
  return { pages, problems, otherRequests };
}

await runScript(parseArguments, walk);
