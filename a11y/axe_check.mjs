// Accessibility checks of local HTML pages in headless Debian Chromium.
//
// Usage: node a11y/axe_check.mjs INPUT.json  (writes one JSON document to stdout)
//
// INPUT.json: {
//   "executablePath": "/usr/bin/chromium",
//   "tags": ["wcag2a", "wcag2aa", ...],            axe-core rule tags to run
//   "pages": [{"path": "/abs/report.html", "screenshot": "/abs/report.png" | null}, ...],
//   "viewport": {"width": 390, "height": 844}       optional (default 1280 x 800)
// }
// Output: [{"path", "violations": [{id, impact, help, helpUrl, nodes, targets}],
//           "domProblems": ["..."], "screenshot": path | null, "tocLinks": n, "error": null | "..."}]
//
// One browser for all pages. Pages are file: URLs; every request that is not file: or data:
// is blocked (and reported: a published report must be self-contained). axe-core is read from
// node_modules and evaluated in the page: nothing is loaded from a CDN, no browser is downloaded.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const VIEWPORT = { width: 1280, height: 800 };

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  // Belt and braces with the request blocking below: no host name resolves.
  "--host-resolver-rules=MAP * ~NOTFOUND",
];

// Our own checks, run in the page (after axe, before the keyboard walk).
function domChecks() {
  const problems = [];
  const text = (el) => (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60);

  const lang = document.documentElement.getAttribute("lang");
  if (lang !== "en-GB") {
    problems.push(`html lang is ${lang === null ? "missing" : JSON.stringify(lang)}, not "en-GB"`);
  }

  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 elements (exactly one expected)`);

  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")];
  if (headings.length && headings[0].tagName !== "H1") {
    problems.push(`the first heading is ${headings[0].tagName.toLowerCase()} "${text(headings[0])}", not the h1`);
  }
  let previous = 0;
  for (const h of headings) {
    const level = Number(h.tagName[1]);
    if (previous && level > previous + 1) {
      problems.push(`heading level skips from h${previous} to h${level} at "${text(h)}"`);
    }
    previous = level;
  }

  const generic = /^(image|img|picture|photo|chart|graph|figure|plot|diagram|icon|logo|graphic)s?[.:]?$/i;
  const fileName = /^[^\s]+\.(png|jpe?g|gif|svg|webp|bmp|tiff?)$/i;
  [...document.querySelectorAll("img")].forEach((img, i) => {
    const alt = img.getAttribute("alt");
    const src = (img.getAttribute("src") || "").slice(0, 40);
    const where = `image ${i + 1} (${src || "no src"})`;
    if (alt === null) problems.push(`${where} has no alt attribute`);
    else if (!alt.trim()) problems.push(`${where} has empty alt text`);
    else if (fileName.test(alt.trim())) problems.push(`${where} has a file name as alt text: ${JSON.stringify(alt)}`);
    else if (generic.test(alt.trim())) problems.push(`${where} has meaningless alt text: ${JSON.stringify(alt)}`);
  });

  [...document.querySelectorAll("table")].forEach((table, i) => {
    if (!table.querySelector("th")) {
      const caption = table.querySelector("caption");
      problems.push(`table ${i + 1}${caption ? ` "${text(caption)}"` : ""} has no header cells (th)`);
    }
  });

  const navs = document.querySelectorAll('nav[aria-label="Contents"]');
  if (navs.length > 1) problems.push(`${navs.length} contents navigations (one expected)`);
  const tocLinks = navs.length ? [...navs[0].querySelectorAll("a")] : [];
  for (const a of tocLinks) {
    const href = a.getAttribute("href") || "";
    if (!href.startsWith("#")) {
      problems.push(`contents link "${text(a)}" does not point into the page (${JSON.stringify(href)})`);
    } else if (!document.getElementById(decodeURIComponent(href.slice(1)))) {
      problems.push(`contents link "${text(a)}" points to ${href}, which does not exist`);
    }
  }
  return { problems, tocLinks: tocLinks.length };
}

// How many Tab presses can be needed to reach the last contents link (plus a margin).
function tabBudget() {
  const focusable = [
    ...document.querySelectorAll(
      "a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]",
    ),
  ];
  const nav = document.querySelector('nav[aria-label="Contents"]');
  const links = nav ? [...nav.querySelectorAll("a[href]")] : [];
  if (!links.length) return 0;
  const last = focusable.indexOf(links[links.length - 1]);
  return Math.min((last < 0 ? focusable.length : last + 1) + 5, 1000);
}

// The contents link that has the focus, as its index in the nav, or -1 (or null: nothing).
function focusedTocIndex() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const nav = document.querySelector('nav[aria-label="Contents"]');
  const links = nav ? [...nav.querySelectorAll("a")] : [];
  return links.indexOf(el);
}

async function keyboardWalk(page, tocLinks) {
  if (!tocLinks) return [];
  const budget = await page.evaluate(tabBudget);
  await page.evaluate(() => {
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    window.scrollTo(0, 0);
  });
  const reached = new Set();
  for (let i = 0; i < budget && reached.size < tocLinks; i++) {
    await page.keyboard.press("Tab");
    const idx = await page.evaluate(focusedTocIndex);
    if (idx !== null && idx >= 0) reached.add(idx);
  }
  const problems = [];
  if (reached.size < tocLinks) {
    const missing = [];
    for (let i = 0; i < tocLinks; i++) if (!reached.has(i)) missing.push(i + 1);
    problems.push(
      `contents links not reachable with the Tab key after ${budget} presses: link(s) ${missing.join(", ")}`,
    );
  }
  return problems;
}

async function checkPage(context, spec, tags) {
  const result = {
    path: spec.path,
    violations: [],
    domProblems: [],
    screenshot: null,
    tocLinks: 0,
    error: null,
  };
  const blocked = [];
  const page = await context.newPage();
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    blocked.push(url);
    return route.abort("blockedbyclient");
  });
  try {
    await page.goto(pathToFileURL(spec.path).href, { waitUntil: "load", timeout: 30000 });
    if (spec.screenshot) {
      await page.screenshot({ path: spec.screenshot, fullPage: false });
      result.screenshot = spec.screenshot;
    }
    await page.evaluate(AXE_SOURCE);
    const axeResults = await page.evaluate(
      async (values) =>
        // eslint-disable-next-line no-undef
        await axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] }),
      tags,
    );
    result.violations = axeResults.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
    const dom = await page.evaluate(domChecks);
    result.tocLinks = dom.tocLinks;
    result.domProblems = [...dom.problems, ...(await keyboardWalk(page, dom.tocLinks))];
  } catch (err) {
    result.error = String(err && err.message ? err.message : err).split("\n")[0];
  } finally {
    await page.close();
  }
  for (const url of blocked) {
    result.domProblems.push(`the page requests a resource from the network (blocked): ${url.slice(0, 100)}`);
  }
  return result;
}

async function main() {
  const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
  const tags = input.tags;
  const profile = mkdtempSync(join(tmpdir(), "wres-a11y-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: input.executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: input.viewport || VIEWPORT,
      deviceScaleFactor: 1,
      locale: "en-GB",
      reducedMotion: "reduce",
      serviceWorkers: "block",
      acceptDownloads: false,
    });
    const results = [];
    for (const spec of input.pages) results.push(await checkPage(context, spec, tags));
    process.stdout.write(JSON.stringify(results));
  } finally {
    if (context) await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`axe_check: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
