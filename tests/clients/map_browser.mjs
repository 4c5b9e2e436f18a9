// Opens the web map (/map) in a real browser (Debian's Chromium, headless, WebGL in software through SwiftShader,
// driven by playwright-core) and prints one JSON object: the tiles it loaded, what MapLibre drew at the end of every
// fiscal year the slider offers (the map's own queryRenderedFeatures), the table beside it, the slider from the
// keyboard, a popup after a click on a parcel's pixel, the targets panel, the species-group switch, and the page in
// Japanese. It measures and reports; the xunit test decides what is right.
//
//   node map_browser.mjs BASE_URL [--screenshots FOLDER] [--timeout SECONDS]
//
// Exit codes: 0 measured, 1 failed (see "error"), 3 timeout.
import { runScript } from './browser.mjs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

// GSI's tiles, when the service is configured to show them, are answered here with a pale grey 256 px PNG of our own:
// the test machine has no internet, and the point is the page (its CSP, the credit), not GSI's server.
function greyPng() {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(256, 0);
  header.writeUInt32BE(256, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.alloc(257 * 256, 0xe4);
  for (let y = 0; y < 256; y++) rows[y * 257] = 0; // filter: none
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}
const GSI = 'https://cyberjapandata.gsi.go.jp/';

function parseArguments(argv) {
  const positional = [];
  const options = { screenshots: null, timeout: 240 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--screenshots') options.screenshots = argv[++i];
    else if (argv[i] === '--timeout') options.timeout = Number(argv[++i]);
    else positional.push(argv[i]);
  }
  if (positional.length !== 1) throw new Error('usage: node map_browser.mjs BASE_URL [--screenshots FOLDER] [--timeout SECONDS]');
  return { baseUrl: positional[0].replace(/\/+$/, ''), ...options };
}

const TILE = /\/collections\/([^/]+)\/tiles\/WebMercatorQuad\/\d+\/\d+\/\d+/;

// Runs in the page: the slider and its label as assistive technology reads them.
function readSlider() {
  const s = document.getElementById('fiscal-year');
  return {
    type: s.type, min: Number(s.min), max: Number(s.max), value: Number(s.value),
    ariaValueText: s.getAttribute('aria-valuetext'), label: [...s.labels].map((l) => l.textContent.trim()).join(' '),
  };
}

// Runs in the page: moves the slider as a pointer would (an input event; the page's handler runs at once).
function moveSlider(fy) {
  const s = document.getElementById('fiscal-year');
  s.value = String(fy);
  s.dispatchEvent(new Event('input', { bubbles: true }));
}

// Runs in the page: waits for the latest update (map drawn, targets and table loaded); after 20 s, fails saying what is still loading.
function settled() {
  const map = window.habitatMap;
  return Promise.race([window.habitatMapSettled(), new Promise((resolve, reject) => setTimeout(() => reject(new Error(
    `the map did not settle within 20 s: ${JSON.stringify({ ...window.habitatMapProgress, loaded: map.loaded(), moving: map.isMoving(), tilesLoaded: map.areTilesLoaded() })}`)), 20000))]);
}

// Runs in the page: what MapLibre drew (ids, each once: a parcel cut by tile edges comes back once per tile), the
// table of land in force and the targets panel.
function readDrawn() {
  const map = window.habitatMap;
  const ids = (layers) => [...new Set(map.queryRenderedFeatures({ layers }).map((f) => String(f.properties.id)))].sort();
  const rows = (register) => [...document.querySelectorAll(`#parcels-table tbody tr.${register}`)].map((tr) => tr.dataset.id).sort();
  return {
    ariaValueText: document.getElementById('fiscal-year').getAttribute('aria-valuetext'),
    designations: ids(['designations-fill']),
    acquisitions: ids(['acquisitions-fill', 'acquisitions-trust-fill']),
    trust: ids(['acquisitions-trust-fill']),
    table: { designations: rows('designations'), acquisitions: rows('acquisitions'), caption: document.querySelector('#parcels-table caption').textContent },
    targets: {
      rows: document.querySelectorAll('#targets-table tbody tr').length,
      codes: [...document.querySelectorAll('#targets-table tbody .code')].map((td) => td.textContent.trim()),
      note: document.getElementById('targets-note').textContent,
      hidden: document.getElementById('targets-table').hidden,
    },
  };
}

// Runs in the page: the network's patches and links drawn for the chosen species group.
function readNetwork() {
  const map = window.habitatMap;
  const drawn = (layer) => new Set(map.queryRenderedFeatures({ layers: [layer] }).map((f) => JSON.stringify(f.properties))).size;
  return { profile: document.getElementById('profile').value, patches: drawn('network-patches-fill'), links: drawn('network-links') };
}

// Runs in the page: a pixel of the map canvas whose topmost clickable feature is a designation (not under a control).
function findDesignationPixel() {
  const map = window.habitatMap;
  const canvas = map.getCanvas();
  const box = canvas.getBoundingClientRect();
  const layers = ['acquisitions-fill', 'acquisitions-trust-fill', 'designations-fill', 'network-patches-fill'];
  for (let y = 40; y < canvas.clientHeight - 40; y += 5) {
    for (let x = 40; x < canvas.clientWidth - 60; x += 5) {
      const [top] = map.queryRenderedFeatures([x, y], { layers });
      if (top?.layer.id === 'designations-fill' && document.elementFromPoint(box.left + x, box.top + y) === canvas)
        return { x: box.left + x, y: box.top + y, id: String(top.properties.id) };
    }
  }
  return null;
}

async function setYear(page, fy) {
  await page.evaluate(moveSlider, fy);
  await page.evaluate(settled);
}

async function mapIn(browser, options, lang, screenshot) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
  const page = await context.newPage();
  const problems = [];
  const otherOrigins = [];
  const gsi = { requests: 0 };
  const png = greyPng();
  await page.route(`${GSI}**`, (route) => { gsi.requests++; return route.fulfill({ status: 200, contentType: 'image/png', body: png }); });
  const tiles = { ok: 0, noContent: 0, byCollection: {}, other: [], contentTypes: [] };
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A failed load is reported with its URL below (the browser's own favicon probe aside); the console repeats it without one.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => { if (new URL(r.url()).origin !== new URL(options.baseUrl).origin && !r.url().startsWith(GSI)) otherOrigins.push(r.url()); });
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') problems.push(`${r.status()} ${r.url()}`);
    const m = TILE.exec(new URL(r.url()).pathname);
    if (!m) return;
    tiles.byCollection[m[1]] = (tiles.byCollection[m[1]] ?? 0) + 1;
    if (r.status() === 200) { tiles.ok++; tiles.contentTypes.push(r.headers()['content-type']); }
    else if (r.status() === 204) tiles.noContent++;
    else tiles.other.push(`${r.status()} ${r.url()}`);
  });

  // No lang parameter: the browser's own Accept-Language (its locale) chooses the page's language.
  const response = await page.goto(`${options.baseUrl}/map`, { waitUntil: 'load' });
  const result = {
    status: response.status(),
    contentSecurityPolicy: response.headers()['content-security-policy'] ?? null,
    acceptLanguage: (await response.request().allHeaders())['accept-language'] ?? null,
  };
  await page.evaluate(() => window.habitatMapReady);
  await page.evaluate(settled);
  Object.assign(result, await page.evaluate(() => ({
    documentLang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelector('h1').textContent,
    attribution: (() => {
      const a = document.querySelector('.maplibregl-ctrl-attrib');
      const box = a?.getBoundingClientRect();
      return a ? { text: a.textContent, visible: box.width > 0 && box.height > 0 && getComputedStyle(a).visibility !== 'hidden' } : null;
    })(),
    gsiBaseMap: document.body.dataset.gsiBaseMap === 'true',
  })));
  result.slider = await page.evaluate(readSlider);

  // Keyboard only: Tab from the top of the page reaches the slider after the language link.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  result.focusAfterTwoTabs = await page.evaluate(() => document.activeElement?.id ?? null);

  if (screenshot) {
    result.screenshots = { last: join(options.screenshots, `map-${lang}-${result.slider.max}.png`) };
    await page.screenshot({ path: result.screenshots.last, fullPage: true });
  }
  result.gsiTiles = gsi.requests;
  if (lang === 'ja') {
    result.lastYear = await page.evaluate(readDrawn);
    result.otherOrigins = otherOrigins;
    result.problems = problems;
    await context.close();
    return result;
  }

  // Every year the slider offers, as the map, the table and the targets panel show it.
  result.years = [];
  for (let fy = result.slider.min; fy <= result.slider.max; fy++) {
    await setYear(page, fy);
    result.years.push({ fy, ...(await page.evaluate(readDrawn)) });
    if (screenshot && fy === result.slider.min) {
      result.screenshots.first = join(options.screenshots, `map-${lang}-${fy}.png`);
      await page.screenshot({ path: result.screenshots.first });
    }
  }

  // The keyboard moves the slider a year at a time, and the map follows.
  const from = result.slider.min + 6;
  await setYear(page, from);
  await page.focus('#fiscal-year');
  await page.keyboard.press('ArrowRight');
  await page.evaluate(settled);
  result.keyboard = { from, ...(await page.evaluate(readSlider)), drawn: await page.evaluate(readDrawn) };

  // A click on a designation's pixel opens its popup, whose links lead to its history and its item.
  await setYear(page, result.slider.max);
  const pixel = await page.evaluate(findDesignationPixel);
  result.popup = { pixel };
  if (pixel) {
    await page.mouse.click(pixel.x, pixel.y);
    const popup = page.locator('.maplibregl-popup');
    await popup.waitFor({ state: 'visible', timeout: 5000 });
    Object.assign(result.popup, await popup.evaluate((p) => ({
      heading: p.querySelector('h3')?.textContent ?? null,
      properties: Object.fromEntries([...p.querySelectorAll('tr')].map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent])),
      links: [...p.querySelectorAll('a')].map((a) => ({ text: a.textContent, href: a.href })),
    })));
    for (const l of result.popup.links) {
      const answer = await page.request.get(l.href, { headers: { Accept: 'application/geo+json' } });
      l.status = answer.status();
      const body = answer.ok() ? await answer.json() : null;
      l.ids = body?.features ? [...new Set(body.features.map((f) => String(f.id)))] : body?.id !== undefined ? [String(body.id)] : [];
      l.versions = body?.features?.length ?? null;
    }
    if (screenshot) {
      result.screenshots.popup = join(options.screenshots, `map-${lang}-popup.png`);
      await page.screenshot({ path: result.screenshots.popup });
    }
  }

  // Another species group: its own patches and links.
  result.network = [await page.evaluate(readNetwork)];
  for (const profile of await page.evaluate(() => [...document.querySelectorAll('#profile option')].map((o) => o.value))) {
    if (profile === result.network[0].profile) continue;
    await page.selectOption('#profile', profile);
    await page.evaluate(settled);
    result.network.push(await page.evaluate(readNetwork));
  }

  result.tiles = tiles;
  result.otherOrigins = otherOrigins;
  result.problems = problems;
  await context.close();
  return result;
}

await runScript(parseArguments, async (browser, options) => {
  const maps = {};
  for (const lang of ['en', 'ja']) maps[lang] = await mapIn(browser, options, lang, options.screenshots !== null);
  return { maps };
}, ['--enable-unsafe-swiftshader']);
