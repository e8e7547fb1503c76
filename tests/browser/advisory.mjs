// tests/browser/advisory.mjs — a coordinator writes and publishes an advisory in headless
// Debian chromium: sign in, create a JVNVU draft from the editor list, fill every item in
// Japanese and English and the lists (JSON), save, preview in English, check the public
// cannot see it, publish now, and read the public pages (ja, en) with the CSAF link; the home page
// lists it and the statistics count it only after publication.
// Screenshots go to the test log directory.
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import assert from "node:assert/strict";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const keikai = process.env.KEIKAI || path.join(root, "build-test/keikai");
const logDir = process.env.KEIKAI_TEST_LOGS || path.join(path.dirname(keikai), "test-logs");
mkdirSync(logDir, { recursive: true });
const tmp = mkdtempSync(path.join(tmpdir(), "keikai-browser-"));
const db = path.join(tmp, "keikai.db");
const env = { ...process.env, KEIKAI_TEST_FAST_HASH: "1", KEIKAI_TEST_NOW: "2026-03-02T01:00:00Z" };
const email = "coord@example.org", password = "correct-horse-battery";
const run = (...args) => execFileSync(keikai, ["--db", db, ...args], { env, stdio: ["pipe", "pipe", "inherit"] });

run("init");
execFileSync(keikai, ["--db", db, "user", "add", "--email", email, "--name", "Chie Coordinator", "--role", "coordinator"],
  { env, input: password + "\n", stdio: ["pipe", "ignore", "inherit"] });
run("cve-pool", "add", "CVE-2026-80001", "CVE-2026-80002");

const server = spawn(keikai, ["--db", db, "serve", "--listen", "127.0.0.1:0", "--threads", "2", "--no-scheduler"],
  { env, stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise((resolve, reject) => {
  let out = "";
  const timer = setTimeout(() => reject(new Error("server did not print its address")), 15000);
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/^keikai: listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  });
  server.on("exit", (code) => reject(new Error("server exited with " + code)));
});

const texts = {
  product: ["ウィジェット管理ツール", "Widget Manager"],
  vulnerability: ["クロスサイトスクリプティング", "cross-site scripting"],
  overview: ["ウィジェット管理ツールにクロスサイトスクリプティングの脆弱性があります。", "Widget Manager contains a cross-site scripting vulnerability."],
  version_check: ["**ヘルプ > バージョン情報** で確認できます。", "See **Help > About**."],
  description: ["検索画面にクロスサイトスクリプティングがあります。", "The search page is vulnerable to cross-site scripting."],
  threat: ["利用者のブラウザで任意のスクリプトが実行される可能性があります。", "An arbitrary script may run in a user's browser."],
  fix: ["2.0.1 にアップデートしてください。", "Update to 2.0.1."],
  contact: ["JPCERT/CC", "JPCERT/CC"],
};
const lists = JSON.stringify({
  products: [{ vendor: "Widget Inc.", product: "Widget Manager", purl: "pkg:npm/widget-manager", scheme: "semver", introduced: "1.0.0", fixed: "2.0.1" }],
  vulnerabilities: [{ cwe: 79, cvss31: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N" }],
  vendors: [{ vendor: "Widget Inc.", status: "fixed", updated: "2026-02-27" }],
}, null, 2);

let failed = false;
let context;
process.on("uncaughtException", (e) => { console.error("not ok -", e); server.kill("SIGTERM"); process.exit(1); });
try {
  context = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    locale: "en-US",
    viewport: { width: 1100, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error" && !/status of 404/.test(m.text())) errors.push(m.text()); });

  await page.goto(base + "/login");
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForLoadState("load"), page.click("#login-form button[type=submit]")]);

  await page.goto(base + "/advisories");
  assert.ok(await page.isVisible("#nav-advisories"), "the editor is in the navigation");
  assert.match(await page.textContent(".cve-pool"), /2 \/ 0/, "the CVE pool level is shown");
  await page.selectOption("select[name=kind]", "JVNVU");
  await Promise.all([page.waitForURL(/\/advisories\/JVNVU_\d{8}$/), page.click("form[action='/advisories'] button[type=submit]")]);
  const slug = new URL(page.url()).pathname.split("/").pop();
  for (const [k, [ja, en]] of Object.entries(texts)) {
    await page.fill(`textarea[name='${k}.ja']`, ja);
    await page.fill(`textarea[name='${k}.en']`, en);
  }
  await page.fill("textarea[name=lists]", lists);
  await Promise.all([page.waitForURL(/saved=1/), page.click("form.advisory-editor button[type=submit]")]);
  assert.match(await page.textContent(".notice"), /Saved/);
  await page.screenshot({ path: path.join(logDir, "browser-advisory-editor.png"), fullPage: true });

  await page.goto(base + `/advisories/${slug}/preview?lang=en`);
  assert.match(await page.textContent("article.advisory h1"), /Widget Manager: cross-site scripting/);
  assert.equal(await page.textContent("article.advisory h3 + p strong"), "Help > About", "Markdown rendered");
  await page.screenshot({ path: path.join(logDir, "browser-advisory-preview.png"), fullPage: true });

  // the public asks without the coordinator's cookies
  let res = await fetch(base + `/jvn/${slug}/en`);
  assert.equal(res.status, 404, "not public before publication");
  const ident = slug.replace("_", "#");
  await page.goto(base + "/");
  assert.ok(!(await page.textContent("#latest-JVNVU")).includes(ident), "not on the home page before publication");
  await page.goto(base + "/stats");
  assert.equal((await page.textContent("#total-JVNVU")).trim(), "0", "the statistics do not count it before publication");

  await page.goto(base + `/advisories/${slug}`);
  await Promise.all([page.waitForLoadState("load"), page.click("button[name=verb][value=now]")]);
  assert.match(await page.textContent(".notice"), /Published/);

  res = await fetch(base + `/jvn/${slug}/en`);
  assert.equal(res.status, 200, "public after publication");
  await page.goto(base + `/jvn/${slug}`);
  assert.match(await page.textContent("article.advisory h1"), /ウィジェット管理ツールにおけるクロスサイトスクリプティング/);
  assert.match(await page.textContent("#vendors"), /修正済み/);
  assert.match(await page.textContent("table.vulns"), /CVE-2026-80001/, "the CVE id came from the pool");
  await page.screenshot({ path: path.join(logDir, "browser-advisory-public-ja.png"), fullPage: true });
  await Promise.all([page.waitForLoadState("load"), page.click("p.formats a[href$='/csaf']")]);
  assert.match(await page.content(), /csaf_security_advisory/);

  // the home page lists it in the JVNVU# list, linked to its page; the statistics count it
  await page.goto(base + "/");
  assert.match(await page.textContent("#latest-JVNVU"), new RegExp(ident), "the home page lists it after publication");
  assert.ok(!(await page.textContent("#latest-JVN")).includes(ident), "in its own list only");
  await page.screenshot({ path: path.join(logDir, "browser-home.png"), fullPage: true });
  await Promise.all([page.waitForURL(new RegExp(`/jvn/${slug}/en$`)), page.click(`#latest-JVNVU a[href='/jvn/${slug}/en']`)]);
  assert.match(await page.textContent("article.advisory h1"), /Widget Manager: cross-site scripting/);
  await page.goto(base + "/");
  await Promise.all([page.waitForURL(/\/stats$/), page.click("#link-stats a")]);
  assert.equal((await page.textContent("#total-JVNVU")).trim(), "1", "the statistics count it");
  assert.equal(await page.$$eval("#chart-advisories rect.bar.s1", (els) => els[els.length - 1].getAttribute("data-value")),
    "1", "the cumulative chart's JVNVU# bar of this quarter");
  await page.screenshot({ path: path.join(logDir, "browser-stats.png"), fullPage: true });
  const stats = await (await fetch(base + "/api/v1/stats")).json();
  assert.equal(stats.totals.advisories.JVNVU, 1, "the JSON download agrees");
  assert.deepEqual(errors, [], "no script errors or CSP violations");
  console.log("ok - browser advisory: create, edit ja/en, preview, publish, public pages, home page, statistics");
} catch (e) {
  failed = true;
  console.error("not ok -", e);
} finally {
  if (context) await context.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
