// What the browser client scripts share: Debian's Chromium started headless with the flags this machine needs (no
// sandbox as root; no background connections, which a closed network refuses), and one way to end: one JSON object on
// standard output, exit 0; {"error": …} and exit 1 on failure; exit 3 when the time is up.
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// extraArgs: e.g. --enable-unsafe-swiftshader, WebGL in software for the web map (--disable-gpu leaves no GPU).
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', ...extraArgs],
  });
}

// Prints a script's failure as its one JSON object, with exit code 1.
export function fail(e) {
  process.stdout.write(JSON.stringify({ error: String(e?.stack ?? e) }) + '\n');
  process.exitCode = 1;
}

// Runs a script's work with a browser and prints what it returns; the browser is closed whatever happens.
export async function runWithBrowser(timeoutSeconds, work, extraArgs = []) {
  const timer = setTimeout(() => {
    process.stdout.write(JSON.stringify({ error: `timed out after ${timeoutSeconds} s` }) + '\n');
    process.exit(3);
  }, timeoutSeconds * 1000);
  let browser;
  try {
    browser = await launchChromium(extraArgs);
    const output = await work(browser);
    process.stdout.write(JSON.stringify({ browser: `Chromium ${browser.version()}`, ...output }, null, 2) + '\n');
  } catch (e) {
    fail(e);
  } finally {
    await browser?.close();
    clearTimeout(timer);
  }
}

// A script's whole run: its arguments parsed by parseArguments (a mistake is its failure), then work(browser, options)
// within options.timeout seconds.
export async function runScript(parseArguments, work, extraArgs = []) {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (e) {
    fail(e);
    return;
  }
  await runWithBrowser(options.timeout, (browser) => work(browser, options), extraArgs);
}

// "--timeout S" taken out of the arguments (default 120 s).
export function takeTimeout(args) {
  const i = args.indexOf('--timeout');
  return i >= 0 ? Number(args.splice(i, 2)[1]) : 120;
}
