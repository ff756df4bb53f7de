// The reader controls in headless Debian Chromium: each control, operated from the keyboard,
// changes the computed style of the page and its shown percentage; the choice is remembered
// on the next page; with scripts off the controls stay hidden and the page is as published.
//
// Usage: node a11y/reader_check.mjs INPUT.json  (writes one JSON document to stdout)
// INPUT.json: {"executablePath": "/usr/bin/chromium", "pages": ["/abs/a.html", "/abs/b.html"]}
// Output: {"visible", "before", "after": {setting: {shown, style}}, "nextPage": {shown, style},
//          "noScript": {visible, style}, "errors": [...]}

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

const SETTINGS = ["scale", "font", "line", "letter"];

function style() {
  const b = getComputedStyle(document.body);
  const h = getComputedStyle(document.documentElement);
  return { zoom: b.zoom, fontSize: h.fontSize, lineHeight: b.lineHeight, letterSpacing: b.letterSpacing };
}

function shown() {
  const out = {};
  for (const name of ["scale", "font", "line", "letter"]) {
    const el = document.getElementById(`wres-${name}-value`);
    out[name] = el ? el.textContent : null;
  }
  return out;
}

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const [first, second] = spec.pages.map((p) => pathToFileURL(p).href);
const browser = await chromium.launch({
  executablePath: spec.executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--host-resolver-rules=MAP * ~NOTFOUND"],
});
const result = { errors: [], after: {} };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => result.errors.push(String(e)));
  await page.goto(first);
  result.visible = await page.isVisible("#wres-reader");
  result.before = { shown: await page.evaluate(shown), style: await page.evaluate(style) };
  for (const name of SETTINGS) {
    // keyboard only: focus the "increase" button, press Enter twice
    await page.focus(`button[data-wres-setting="${name}"][data-wres-step="1"]`);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    result.after[name] = { shown: await page.evaluate(shown), style: await page.evaluate(style) };
  }
  result.names = await page.evaluate(() =>
    [...document.querySelectorAll("#wres-reader button")].map((b) => b.getAttribute("aria-label") || b.textContent));
  await page.goto(second);
  result.nextPage = { shown: await page.evaluate(shown), style: await page.evaluate(style) };
  await context.close();

  const off = await browser.newContext({ javaScriptEnabled: false });
  const quiet = await off.newPage();
  await quiet.goto(first);
  result.noScript = { visible: await quiet.isVisible("#wres-reader"), style: await quiet.evaluate(style) };
  await off.close();
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
