// Renders a coflow HTML report in headless Debian chromium (driven by playwright-core) and
// prints one JSON document of what a person and a screen reader would meet:
//   node report_browser.js '{"html": "/abs/report.html", "out": "/abs/dir", "name": "project"}'
// Needs NODE_PATH (or a node_modules above) holding playwright-core and axe-core, and
// CHROMIUM (default /usr/bin/chromium). Used by tests/test_report_browser.py.
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");

const args = JSON.parse(process.argv[2]);
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

async function facts(page) {
  return page.evaluate(() => ({
    title: document.title,
    lang: document.documentElement.getAttribute("lang"),
    scripts: document.querySelectorAll("script").length,
    headings: Array.from(document.querySelectorAll("h1,h2,h3,h4,h5,h6")).map(h => Number(h.tagName[1])),
    text: document.body.innerText,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    navShown: (() => { const n = document.querySelector("nav"); return n ? getComputedStyle(n).display !== "none" : null; })(),
    smallestFont: Math.min(...Array.from(document.querySelectorAll("p, li, td, th, dd, dt, caption"))
      .filter(e => e.offsetParent !== null && e.innerText.trim())
      .map(e => parseFloat(getComputedStyle(e).fontSize))),
  }));
}

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")) }));
  });
  return result;
}

(async () => {
  const url = pathToFileURL(args.html).href;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: FLAGS, chromiumSandbox: false, timeout: 60000 });
  const out = { browser: browser.version(), requests: [], dialogs: [], console: [], pageErrors: [], shots: {} };
  try {
    // 1. As a reader gets it: the report's own content policy on, every request watched.
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    page.on("request", r => { if (r.url() !== url) out.requests.push(r.url()); });
    page.on("dialog", d => { out.dialogs.push(d.message()); d.dismiss(); });
    page.on("console", m => { if (m.type() === "error" || m.type() === "warning") out.console.push(m.text()); });
    page.on("pageerror", e => out.pageErrors.push(String(e)));
    await page.goto(url, { waitUntil: "load" });
    out.desktop = await facts(page);
    out.shots.desktop = path.join(args.out, `${args.name}-desktop.png`);
    await page.screenshot({ path: out.shots.desktop, fullPage: true });
    await page.setViewportSize(PHONE);
    out.phone = await facts(page);
    out.shots.phone = path.join(args.out, `${args.name}-phone.png`);
    await page.screenshot({ path: out.shots.phone, fullPage: true });
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 794, height: 1123 });
    out.print = await facts(page);
    out.shots.print = path.join(args.out, `${args.name}-print.png`);
    await page.screenshot({ path: out.shots.print, fullPage: true });
    await context.close();

    // 2. The accessibility check: axe-core injected (so the content policy is bypassed here only).
    const axeContext = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    const axePage = await axeContext.newPage();
    await axePage.goto(url, { waitUntil: "load" });
    out.axe = { desktop: await axe(axePage) };
    await axePage.setViewportSize(PHONE);
    out.axe.phone = await axePage.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")) }));
    });
    out.axe.version = await axePage.evaluate(() => window.axe.version);
    await axeContext.close();
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out));
})().catch(err => { process.stderr.write(String(err && err.stack || err) + "\n"); process.exit(1); });
