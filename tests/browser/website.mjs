// tests/browser/website.mjs — one website case through the pages in headless Debian
// chromium: a receiver signs in, finds the case on the board and sends the stage 1
// notice; the operator opens the link, gives a contact point, opens the new link that
// came by mail, chooses the portal, reads the details (handling number from stage 3),
// acknowledges, ticks the checklist and reports completion with a file; the finder confirms on
// their page; the receiver closes the case as fixed. The operator's pages never show
// the finder. Starts its own `keikai serve`; screenshots go to the test log directory.
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import assert from "node:assert/strict";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const keikai = process.env.KEIKAI || path.join(root, "build-test/keikai");
const logDir = process.env.KEIKAI_TEST_LOGS || path.join(path.dirname(keikai), "test-logs");
mkdirSync(logDir, { recursive: true });
const tmp = mkdtempSync(path.join(tmpdir(), "keikai-browser-"));
const db = path.join(tmp, "keikai.db");
const maildir = path.join(tmp, "mail");
const env = { ...process.env, KEIKAI_TEST_FAST_HASH: "1", KEIKAI_MAILDIR: maildir, KEIKAI_BASE_URL: "http://kk.invalid" };
const email = "rcv@example.org", password = "receiver-password-1";
const finderName = "Midori Finder", finderEmail = "midori.finder@example.jp";
const run = (...args) => execFileSync(keikai, ["--db", db, ...args], { env, encoding: "utf8" });

run("init");
execFileSync(keikai, ["--db", db, "user", "add", "--email", email, "--name", "Rei Receiver", "--role", "receiver"],
  { env, input: password + "\n", stdio: ["pipe", "ignore", "inherit"] });

const server = spawn(keikai, ["--db", db, "serve", "--listen", "127.0.0.1:0", "--threads", "2"],
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
// links in mail and pages name the public address; the test serves on another
const local = (link) => link.replace("http://kk.invalid", base);

// decoded text of every delivered mail to `to`
function mailTo(to) {
  run("mail", "flush");
  const dir = path.join(maildir, "new");
  let text = "";
  for (const f of readdirSync(dir)) {
    const raw = readFileSync(path.join(dir, f), "utf8").replace(/\r/g, "");
    const [head, ...rest] = raw.split("\n\n");
    if (!new RegExp("^To: " + to.replace(/[.]/g, "\\.") + "$", "mi").test(head)) continue;
    const body = rest.join("\n\n");
    text += /Content-Transfer-Encoding: base64/i.test(head) ? Buffer.from(body, "base64").toString("utf8") : body;
  }
  return text;
}

let failed = false;
let context;
process.on("uncaughtException", (e) => { console.error("not ok -", e); server.kill("SIGTERM"); process.exit(1); });
try {
  // the finder's report, accepted by a receiver (CLI)
  const report = await fetch(base + "/api/v1/reports", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ kind: "website", lang: "en", finder: { name: finderName, email: finderEmail },
      website: { name: "Shop", url: "https://shop.example.com/search" },
      vulnerability: { cwe: "CWE-79", description: "reflected XSS in the search box", steps: "search for <svg onload=alert(1)>",
        impact: "session theft" }, policy_ack: true }),
  }).then((r) => r.json());
  run("report", "accept", report.tracking);

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
  page.on("console", (m) => { if (m.type() === "error" && !/status of 40[34]/.test(m.text())) errors.push(m.text()); });
  const operatorSaw = [];
  const keep = async () => operatorSaw.push(await page.content());

  // --- the receiver: board, case, stage 1
  await page.goto(base + "/login");
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForLoadState("load"), page.click("#login-form button[type=submit]")]);
  await Promise.all([page.waitForLoadState("load"), page.click("#nav-website")]);
  assert.equal(new URL(page.url()).pathname, "/website", "the nav link opens the board");
  const row = page.locator("#board tbody tr[data-stage=opened]");
  assert.equal(await row.count(), 1, "the new case is on the board, stage opened");
  const handling = (await row.locator("td a").textContent()).trim();
  assert.match(handling, /^IPA#\d{8}$/);
  await Promise.all([page.waitForLoadState("load"), row.locator("td a").click()]);
  assert.match(await page.textContent("h1"), /^IPA#\d{8}$/);
  await page.fill("form[data-action=notify] textarea[name=addresses]", "info@shop.example.com");
  await Promise.all([page.waitForLoadState("load"), page.click("form[data-action=notify] button[type=submit]")]);
  const link1 = (await page.textContent("#new-link code")).trim();
  assert.match(link1, /\/website\/portal\?key=[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: path.join(logDir, "browser-website-case.png"), fullPage: true });
  assert.match(mailTo("info@shop.example.com"), /https:\/\/shop\.example\.com\/search/, "stage 1 mail has the URL");
  await Promise.all([page.waitForURL(base + "/"), page.click("#logout")]);

  // --- the operator through the link: contact point
  await page.goto(local(link1));
  await keep();
  assert.ok(!(await page.content()).includes(handling), "no handling number in stage 1");
  await page.fill("form[data-action=contact] input[name=email]", "sec@shop.example.com");
  await page.fill("form[data-action=contact] input[name=name]", "Security Team");
  await Promise.all([page.waitForLoadState("load"), page.click("form[data-action=contact] button[type=submit]")]);
  await keep();
  assert.match(await page.textContent(".notice"), /new link/);
  const m2 = mailTo("sec@shop.example.com").match(/http:\/\/kk\.invalid\/website\/portal\?key=[A-Za-z0-9_-]{43}/);
  assert.ok(m2, "the contact point got a new link by mail");

  // --- stage 2 -> 3: portal only; the details and the checklist
  await page.goto(local(m2[0]));
  await keep();
  await page.check("form[data-action=protect] input[name=portal]");
  await Promise.all([page.waitForLoadState("load"), page.click("form[data-action=protect] button[type=submit]")]);
  await keep();
  assert.ok((await page.textContent("#case")).includes(handling), "the handling number from stage 3");
  assert.match(await page.textContent("#details"), /reflected XSS in the search box/);
  assert.equal(await page.locator("#checklist li.done").count(), 0, "nothing ticked yet");
  await Promise.all([page.waitForLoadState("load"), page.click("form[data-action=ack] button[type=submit]")]);
  await page.selectOption("form[data-action=check] select[name=item]", "investigation");
  await Promise.all([page.waitForLoadState("load"), page.click("form[data-action=check] button[type=submit]")]);
  await keep();
  assert.equal(await page.locator("#checklist li.done").count(), 2, "receipt and investigation ticked");
  await page.screenshot({ path: path.join(logDir, "browser-website-portal.png"), fullPage: true });
  await page.fill("form[data-action=complete] textarea[name=text]", "Escaped the search box output.");
  const proof = path.join(tmp, "after-fix.txt");
  writeFileSync(proof, "GET /search?q=%3Csvg%3E -> escaped\n");
  await page.setInputFiles("form[data-action=complete] input[name=files]", [proof]);
  await Promise.all([page.waitForLoadState("load"), page.click("form[data-action=complete] button[type=submit]")]);
  await keep();
  assert.equal(await page.locator("#checklist li.done").count(), 5, "the whole checklist done");
  assert.match(await page.textContent("#case"), /Escaped the search box output\./);
  assert.match(await page.textContent("#case-files"), /after-fix\.txt/, "the completion report's file is listed");
  const fileHref = await page.getAttribute("#case-files a", "href");
  const dl = await page.request.get(base + fileHref);
  assert.equal(dl.status(), 200, "the operator downloads it");
  assert.match(dl.headers()["content-disposition"], /^attachment;/, "as an attachment");

  // --- the finder is told and confirms
  assert.match(mailTo(finderEmail), /Escaped the search box output\./, "the finder's mail says what was done");
  await page.goto(base + "/website/finder/" + report.tracking + "?key=" + report.key);
  assert.match(await page.textContent("#case"), /Escaped the search box output\./);
  await Promise.all([page.waitForLoadState("load"), page.click("form[data-action=confirm] button[type=submit]")]);
  assert.match(await page.textContent(".notice"), /recorded/);
  assert.equal(await page.locator("form[data-action=confirm]").count(), 0, "confirmed once");

  // --- the receiver closes it
  await page.goto(base + "/login");
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForLoadState("load"), page.click("#login-form button[type=submit]")]);
  await page.goto(base + "/website/case/" + handling.slice(4));
  assert.match(await page.textContent("#case"), /The finder confirmed/);
  await page.selectOption("form[data-action=close] select[name=outcome]", "fixed");
  await Promise.all([page.waitForLoadState("load"), page.click("form[data-action=close] button[type=submit]")]);
  await page.goto(base + "/website?stage=closed");
  assert.equal(await page.locator("#board tbody tr[data-stage=closed]").count(), 1, "closed on the board");
  await page.goto(base + "/website?lang=ja");
  assert.match(await page.textContent("h1"), /ウェブサイト案件/);
  await page.screenshot({ path: path.join(logDir, "browser-website-board-ja.png"), fullPage: true });

  for (const html of operatorSaw) {
    assert.ok(!html.includes("Midori") && !html.includes(finderEmail) && !html.includes(report.tracking),
      "the operator's pages never show the finder");
  }
  assert.deepEqual(errors, [], "no script errors or CSP violations");
  console.log("ok - browser website case: three stages, completion, the finder's confirmation, closing");
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
