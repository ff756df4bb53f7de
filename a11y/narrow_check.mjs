// Pages on a narrow screen (a 390 px phone) in headless Debian Chromium: nothing may make the
// page scroll sideways, and no table may need its own sideways scroll (tables reflow).
//
// Usage: node a11y/narrow_check.mjs INPUT.json  (writes one JSON document to stdout)
// INPUT.json: {"executablePath": "/usr/bin/chromium", "width": 390, "height": 844,
//              "pages": ["/abs/report.html", ...]}
// Output: [{"path", "pageWidth", "viewport", "overflowing": ["tag.class \"text\" right=..."],
//           "scrollingTables": ["caption (scrollWidth > clientWidth)"], "tables": n,
//           "clipped": ["cell text cut: ..."]}]

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

function measure() {
  const vw = document.documentElement.clientWidth;
  const text = (el) => (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 50);
  const name = (el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""}`;
  const overflowing = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    // visually hidden text (1 px, clipped) and the skip link (shown on focus) are not seen
    if (el.closest(".wres-vh") || el.closest("thead") || el.closest(".skip-link")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > vw + 0.5 || r.left < -0.5) {
      overflowing.push(`${name(el)} "${text(el)}" left=${Math.round(r.left)} right=${Math.round(r.right)}`);
    }
  }
  const scrollingTables = [];
  const regions = [...document.querySelectorAll(".wres-table")];
  for (const region of regions) {
    if (region.scrollWidth > region.clientWidth + 1) {
      const cap = region.querySelector("caption");
      scrollingTables.push(`${cap ? text(cap) : "a table"} (${region.scrollWidth} > ${region.clientWidth})`);
    }
  }
  // a cell whose content is wider than its box is cut (or spills): a word too long to wrap
  const clipped = [];
  for (const cell of document.querySelectorAll(".wres-table td, .wres-table th[scope=row]")) {
    if (cell.scrollWidth > cell.clientWidth + 1) clipped.push(`${text(cell)} (${cell.scrollWidth} > ${cell.clientWidth})`);
  }
  return {
    pageWidth: document.documentElement.scrollWidth,
    viewport: vw,
    overflowing: overflowing.slice(0, 20),
    scrollingTables,
    clipped: clipped.slice(0, 20),
    tables: regions.length,
  };
}

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const browser = await chromium.launch({
  executablePath: spec.executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--host-resolver-rules=MAP * ~NOTFOUND"],
});
const results = [];
try {
  const context = await browser.newContext({
    viewport: { width: spec.width || 390, height: spec.height || 844 },
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    return url.startsWith("file:") || url.startsWith("data:") ? route.continue() : route.abort();
  });
  for (const path of spec.pages) {
    const page = await context.newPage();
    try {
      await page.goto(pathToFileURL(path).href, { waitUntil: "load", timeout: 30000 });
      results.push({ path, ...(await page.evaluate(measure)) });
    } catch (e) {
      results.push({ path, error: String(e) });
    } finally {
      await page.close();
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
