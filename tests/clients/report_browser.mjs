// Opens the annual target report in a real browser (Debian's Chromium, headless, driven by playwright-core) and
// prints one JSON object: what the rendered page shows in Japanese and in English, the print layout on A4, and the
// PDF Chromium prints from it. It measures and reports; the xunit test decides what is right.
//
//   node report_browser.mjs BASE_URL FISCAL_YEAR [--screenshot PATH.png] [--pdf PATH.pdf] [--timeout SECONDS]
//
// --screenshot and --pdf keep the page and the print for people to look at, one per language
// (report.png -> report-ja.png, report-en.png). Exit codes: 0 measured, 1 failed (see "error"), 3 timeout.
import { runScript } from './browser.mjs';
import { writeFileSync } from 'node:fs';

// A4 (210 × 297 mm) less the report's @page margins (12 mm at the sides, 14 mm top and bottom) at 96 CSS px per
// inch: the box print lays each page out in.
const A4_CONTENT_WIDTH_PX = Math.floor(((210 - 2 * 12) / 25.4) * 96);
const A4_CONTENT_HEIGHT_PX = Math.floor(((297 - 2 * 14) / 25.4) * 96);

function parseArguments(argv) {
  const positional = [];
  const options = { screenshot: null, pdf: null, timeout: 120 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--screenshot') options.screenshot = argv[++i];
    else if (a === '--pdf') options.pdf = argv[++i];
    else if (a === '--timeout') options.timeout = Number(argv[++i]);
    else positional.push(a);
  }
  if (positional.length !== 2 || !/^\d{4}$/.test(positional[1]))
    throw new Error('usage: node report_browser.mjs BASE_URL FISCAL_YEAR [--screenshot PATH.png] [--pdf PATH.pdf] [--timeout SECONDS]');
  return { baseUrl: positional[0].replace(/\/+$/, ''), fiscalYear: Number(positional[1]), ...options };
}

// report.png -> report-ja.png
const perLanguage = (path, lang) => (path ? path.replace(/(\.[^./]*)?$/, (ext) => `-${lang}${ext}`) : null);

// Pages of a PDF without a PDF library: Chromium (Skia) writes each page as a plain dictionary "/Type /Page"
// and the page tree root as "/Type /Pages ... /Count N"; both are counted so that they check each other.
function pdfPages(buffer) {
  const text = buffer.toString('latin1');
  const pageObjects = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)]
    .map((m) => Number(m[1] ?? m[2]));
  return { pageObjects, pageTreeCount: counts.length ? Math.max(...counts) : null, bytes: buffer.length, header: text.slice(0, 8) };
}

// Runs in the page: the layout as the reader sees it at the current viewport and media.
function measureLayout() {
  const root = document.documentElement;
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { x: Math.round(r.x * 10) / 10, y: Math.round(r.y * 10) / 10, width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 };
  };
  const overflowingCells = [...document.querySelectorAll('td, th')]
    .filter((c) => c.scrollWidth > c.clientWidth)
    .map((c) => ({ tag: c.tagName.toLowerCase(), text: c.textContent.trim().slice(0, 60), scrollWidth: c.scrollWidth, clientWidth: c.clientWidth }));
  const tables = [...document.querySelectorAll('table')].map((t) => ({
    className: t.className,
    width: box(t).width,
    top: Math.round(t.getBoundingClientRect().top + scrollY),
    bottom: Math.round(t.getBoundingClientRect().bottom + scrollY),
    containerWidth: t.parentElement.clientWidth,
    overflows: t.getBoundingClientRect().right > t.parentElement.getBoundingClientRect().right + 0.5,
  }));
  const charts = [...document.querySelectorAll('svg.chart')].map((svg) => {
    const style = getComputedStyle(svg);
    // Visible: laid out with a size, not hidden, inside the page's width, and what a reader would hit at its centre
    // once it is scrolled into view (elementFromPoint sees only the viewport).
    svg.scrollIntoView({ block: 'center', inline: 'nearest' });
    const view = svg.getBoundingClientRect();
    const centre = document.elementFromPoint(view.x + view.width / 2, view.y + view.height / 2);
    scrollTo(0, 0);
    const b = box(svg);
    const plan = svg.querySelector('polyline.plan');
    return {
      target: svg.dataset.target,
      box: b,
      displayed: style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0,
      insidePage: b.x >= 0 && b.x + b.width <= root.clientWidth + 0.5,
      actualPoints: svg.querySelectorAll('circle.actual').length,
      actualLine: svg.querySelector('polyline.actual') !== null,
      planLine: plan !== null,
      planLineDashed: plan !== null && getComputedStyle(plan).strokeDasharray !== 'none',
      planPoints: plan ? plan.points.numberOfItems : 0,
      planLineLength: plan ? Math.round(plan.getTotalLength()) : 0,
      centreHit: centre === null ? null : centre === svg || svg.contains(centre),
    };
  });
  // The map of the land: laid out at the page's width, its layers' paths and its legend's words.
  const mapSvg = document.querySelector('figure.map svg.map');
  let map = null;
  if (mapSvg) {
    const section = mapSvg.closest('section');
    const layers = {};
    for (const g of mapSvg.querySelectorAll('g[data-layer]:not(.legend-item)')) layers[g.dataset.layer] = g.querySelectorAll('path:not(.dots)').length + g.querySelectorAll('path.dots').length;
    const style = getComputedStyle(mapSvg);
    map = {
      box: box(mapSvg),
      containerWidth: mapSvg.parentElement.clientWidth,
      sectionHeight: Math.round(section.getBoundingClientRect().height),
      displayed: style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0,
      insidePage: box(mapSvg).x >= 0 && box(mapSvg).x + box(mapSvg).width <= root.clientWidth + 0.5,
      layers,
      legend: [...mapSvg.querySelectorAll('g.legend-item text')].map((t) => t.textContent),
      credit: [...mapSvg.querySelectorAll('text.credit')].map((t) => t.textContent).join(' / ') || null,
    };
  }
  return {
    map,
    viewportWidth: innerWidth,
    pageScrollWidth: root.scrollWidth,
    pageClientWidth: root.clientWidth,
    horizontalScroll: root.scrollWidth > root.clientWidth,
    overflowingCells,
    tables,
    charts,
  };
}

// Runs in the page: whether the CJK font is installed, by the classic width test: a Latin string set in
// '"Noto Sans CJK JP", monospace' is as wide as in monospace only when the named font is missing.
// (document.fonts.check() says true for any installed-or-not system font, so it proves nothing here.)
function measureFontAvailability() {
  const context = document.createElement('canvas').getContext('2d');
  const width = (font, text) => { context.font = font; return context.measureText(text).width; };
  const latin = 'mmmmmmmmmmlli1WW';
  const fallback = width('32px monospace', latin);
  const named = width('32px "Noto Sans CJK JP", monospace', latin);
  return {
    notoSansCjkJpInstalled: Math.abs(named - fallback) > 0.5,
    latinWidthNamed: named,
    latinWidthMonospace: fallback,
    documentFontsCheck: document.fonts.check('12px "Noto Sans CJK JP"'),
  };
}

// The fonts Chromium actually drew a node's text with (DevTools protocol: CSS.getPlatformFontsForNode).
async function platformFonts(cdp, selector) {
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  if (!nodeId) return null;
  // Every glyph of the element's text, its child elements' included.
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  return fonts.map((f) => ({ family: f.familyName, postScriptName: f.postScriptName, glyphs: f.glyphCount }));
}

async function reportIn(browser, options, lang) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
  const page = await context.newPage();
  const problems = [];
  const otherRequests = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A failed load is reported with its URL below; the console repeats it without one.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  // The page should be self-contained: anything it loads besides itself (the browser's own favicon probe aside).
  page.on('request', (r) => {
    if (!r.isNavigationRequest() && new URL(r.url()).pathname !== '/favicon.ico') otherRequests.push(r.url());
  });

  // No format parameter: the browser's own Accept header has to select the HTML page.
  const url = `${options.baseUrl}/reports/targets?fiscalYear=${options.fiscalYear}&lang=${lang}`;
  const response = await page.goto(url, { waitUntil: 'load' });
  const requestHeaders = await response.request().allHeaders();
  const result = {
    url,
    status: response.status(),
    contentType: response.headers()['content-type'] ?? null,
    accept: requestHeaders.accept ?? null,
  };

  Object.assign(result, await page.evaluate(() => ({
    documentLang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelector('h1')?.textContent ?? null,
    rows: document.querySelectorAll('table.targets tbody tr').length,
    codes: [...document.querySelectorAll('table.targets tbody td.code')].map((td) => td.textContent.trim()),
  })));
  result.screen = await page.evaluate(measureLayout);

  const cdp = await context.newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  result.fonts = {
    ...(await page.evaluate(measureFontAvailability)),
    // The heading holds 令和7年度 in both languages; the first target's Japanese title is the cell's text in
    // Japanese and the <small> under the English title in English.
    h1: await platformFonts(cdp, 'h1'),
    firstJapaneseTitle: await platformFonts(cdp, lang === 'ja' ? 'table.targets td.title' : 'table.targets td.title small'),
  };
  await cdp.detach();

  if (options.screenshot) {
    result.screenshot = perLanguage(options.screenshot, lang);
    await page.screenshot({ path: result.screenshot, fullPage: true });
  }

  // The print layout: print media at the width an A4 page leaves inside the report's margins.
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: A4_CONTENT_WIDTH_PX, height: A4_CONTENT_HEIGHT_PX });
  result.print = { pageHeightPx: A4_CONTENT_HEIGHT_PX, ...(await page.evaluate(measureLayout)) };
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  result.pdf = pdfPages(pdf);
  if (options.pdf) {
    result.pdf.path = perLanguage(options.pdf, lang);
    writeFileSync(result.pdf.path, pdf);
  }
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The reader's way to the other language: the link in the page's nav.
  const link = page.locator('nav a[hreflang]');
  const linkText = (await link.textContent())?.trim() ?? null;
  const hreflang = await link.getAttribute('hreflang');
  const navigation = page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame());
  await link.click();
  const otherResponse = await navigation;
  await page.waitForLoadState('load');
  result.languageLink = {
    text: linkText,
    hreflang,
    status: otherResponse?.status() ?? null,
    landedUrl: page.url(),
    landedLang: await page.evaluate(() => document.documentElement.lang),
    landedTitle: await page.title(),
    landedRows: await page.locator('table.targets tbody tr').count(),
  };

  result.otherRequests = otherRequests;
  result.problems = problems;
  await context.close();
  return result;
}

await runScript(parseArguments, async (browser, options) => {
  const reports = {};
  for (const lang of ['ja', 'en']) reports[lang] = await reportIn(browser, options, lang);
  return { reports };
});
