// A planner's browser (Debian's Chromium, headless, driven by playwright-core) that has been given the registry's Basic
// credentials visits pages of other sites, which try the three cross-site writes: a multipart import, GeoJSON sent as a
// form, and publishing a fiscal year with no body. Then the registry's own page makes the same three requests, to show
// that the browser would have sent them with its credentials. Prints one JSON object: the status the registry answered
// to each request, per page. It reports; the xunit test checks what the registry stored.
//
//   HABITAT_KEY=KEY node cross_site_writes.mjs BASE_URL PARCEL_GEOJSON_FILE [--timeout SECONDS]
//
// BASE_URL must be on 127.0.0.1: the other sites are served on localhost (another site) and on another port of
// 127.0.0.1 (the same site, another origin). Exit codes: 0 reported, 1 failed (see "error"), 3 timeout.
import { runWithBrowser, takeTimeout } from './browser.mjs';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

// Runs in a page: the three writes, as any page may send them (no-cors: the page never reads the answers).
async function attack({ base, geojson }) {
  const form = new FormData();
  form.append('file', new Blob([geojson], { type: 'application/geo+json' }), 'parcels.geojson');
  const writes = [
    () => fetch(`${base}/imports/designations`, { method: 'POST', body: form, mode: 'no-cors', credentials: 'include' }),
    () => fetch(`${base}/imports/designations`, {
      method: 'POST', body: geojson, mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }),
    () => fetch(`${base}/reports/targets/published?fiscalYear=2024`, { method: 'POST', mode: 'no-cors', credentials: 'include' }),
  ];
  for (const write of writes) {
    try { await write(); } catch { /* a refused request is what the page expects */ }
  }
}

// What the registry answered to each write, seen by the browser (opaque to the page itself).
async function statusesOf(page, base, run) {
  const statuses = {};
  const onResponse = (response) => {
    const url = new URL(response.url());
    if (response.request().method() !== 'POST' || !response.url().startsWith(base)) return;
    const type = response.request().headers()['content-type'] ?? '';
    const name = url.pathname.endsWith('/published') ? 'publishWithoutBody' : type.startsWith('multipart/') ? 'multipartImport' : 'geoJsonAsForm';
    (statuses[name] ??= []).push(response.status());
  };
  page.on('response', onResponse);
  await run();
  page.off('response', onResponse);
  return statuses;
}

const args = process.argv.slice(2);
const timeout = takeTimeout(args);
const base = (args[0] ?? '').replace(/\/+$/, '');

await runWithBrowser(timeout, async (browser) => {
  if (args.length !== 2 || !process.env.HABITAT_KEY) throw new Error('usage: HABITAT_KEY=KEY node cross_site_writes.mjs BASE_URL PARCEL_GEOJSON_FILE [--timeout SECONDS]');
  const geojson = readFileSync(args[1], 'utf8');
  // The other sites' page: nothing but a page to run the writes from.
  const other = createServer((_, response) => response.end('<!doctype html><title>another site</title><p>Nothing to see here.</p>'));
  await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
  const port = other.address().port;
  try {
    // The planner typed the key into the browser's Basic prompt for the registry: the browser answers its challenges.
    const context = await browser.newContext({ httpCredentials: { username: 'planner', password: process.env.HABITAT_KEY, origin: base } });
    const page = await context.newPage();
    const output = {};
    for (const [name, url] of [['otherSite', `http://localhost:${port}/`], ['sameSiteOtherOrigin', `http://127.0.0.1:${port}/`], ['registryItself', `${base}/conformance`]]) {
      await page.goto(url);
      output[name] = { page: page.url(), statuses: await statusesOf(page, base, () => page.evaluate(attack, { base, geojson })) };
    }
    return output;
  } finally {
    other.close();
  }
});
