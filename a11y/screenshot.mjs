// Screenshots of local HTML pages in headless Debian Chromium, at given widths and zooms.
//
// Usage: node a11y/screenshot.mjs INPUT.json
// INPUT.json: {"executablePath": "/usr/bin/chromium",
//              "shots": [{"path": "/abs/report.html", "out": "/abs/x.png", "width": 390,
//                         "height": 844, "zoom": 1, "anchor": "#what-this-report-finds" | null}]}
// "zoom": 2 is the page at 200% (a viewport of width/2 CSS pixels drawn at twice the scale,
// which is what browser zoom does to the layout). Every request that is not file: or data:
// is blocked. Writes the list of files written, as JSON, to stdout.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const browser = await chromium.launch({
  executablePath: spec.executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--host-resolver-rules=MAP * ~NOTFOUND"],
});
const written = [];
try {
  for (const shot of spec.shots) {
    const zoom = shot.zoom || 1;
    const context = await browser.newContext({
      viewport: { width: Math.round(shot.width / zoom), height: Math.round(shot.height / zoom) },
      deviceScaleFactor: zoom,
    });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      return url.startsWith("file:") || url.startsWith("data:") ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    await page.goto(pathToFileURL(shot.path).href);
    if (shot.anchor) {
      await page.evaluate((sel) => {
        const el = document.querySelector(sel);
        if (el) el.scrollIntoView({ block: "start" });
      }, shot.anchor);
    }
    await page.screenshot({ path: shot.out });
    written.push(shot.out);
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(written));
