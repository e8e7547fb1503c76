// tests/browser/case.mjs — a coordination case through the pages in headless
// chromium: three vendors each sign in and answer with the forms (Alpha asks for
// the details, is affected, reports a fix, asks to move the date; Beta has no
// affected product; Gamma stays silent), the coordinator sends the details and
// accepts the date from the case page, `keikai tick --at` escalates Gamma to
// unreachable and the public list shows it, and the case ends ready for
// publication with the moved date shown in JST. The clock is pinned.
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
const tmp = mkdtempSync(path.join(tmpdir(), "keikai-browser-case-"));
const db = path.join(tmp, "keikai.db");
const env = { ...process.env, KEIKAI_TEST_FAST_HASH: "1", KEIKAI_TEST_NOW: "2027-01-15T08:00:00Z" };
const pw = "case-browser-password";
const k = (...args) => execFileSync(keikai, ["--db", db, ...args], { env, stdio: ["pipe", "pipe", "inherit"] }).toString();
const user = (email, role, org) =>
  execFileSync(keikai, ["--db", db, "user", "add", "--email", email, "--name", email, "--role", role, "--org", org],
    { env, input: pw + "\n", stdio: ["pipe", "ignore", "inherit"] });

k("init");
for (const [kind, name] of [["coordinator", "Coordination Center"], ["vendor", "Alpha Soft"], ["vendor", "Beta Systems"],
  ["vendor", "Gamma Silent"]]) k("org", "add", "--kind", kind, name);
user("coord@cc.example", "coordinator", "Coordination Center");
user("psirt@alpha.example", "vendor", "Alpha Soft");
user("sec@beta.example", "vendor", "Beta Systems");
user("info@gamma.example", "vendor", "Gamma Silent");
const report = JSON.stringify({
  kind: "product", finder: { name: "Hanako", email: "hanako@finder.example" },
  product: { name: "RouterOS", version: "3.2" },
  vulnerability: { cwe: "CWE-78", description: "OS command injection", steps: "SECRET-STEPS host=;id" }, policy_ack: true,
});
const tracking = execFileSync(keikai, ["--db", db, "report", "submit", "--json", "-"], { env, input: report })
  .toString().match(/tracking number: (\S+)/)[1];
k("report", "accept", tracking);
const ref = "KKC-2027-0001";
k("case", "add-vendor", ref, "Alpha Soft", "Beta Systems", "Gamma Silent");
k("case", "notify", ref, "--all");

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

let failed = false;
let context;
process.on("uncaughtException", (e) => { console.error("not ok -", e); server.kill("SIGTERM"); process.exit(1); });
try {
  context = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    locale: "en-US",
    viewport: { width: 1200, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

  const signIn = async (email) => {
    await context.clearCookies();
    await page.goto(base + "/login?lang=en");
    await page.fill("#email", email);
    await page.fill("#password", pw);
    await Promise.all([page.waitForLoadState("load"), page.click("#login-form button[type=submit]")]);
  };
  const openCase = async () => {
    await page.goto(base + "/cases?lang=en");
    await Promise.all([page.waitForLoadState("load"), page.click(`#cases a:text("${ref}")`)]);
  };
  // press the button of the form whose hidden verb is `verb` (optionally in the row of `vendor`)
  const act = async (verb, within = "") => {
    await Promise.all([page.waitForLoadState("load"),
      page.click(`${within} form:has(input[name=verb][value=${verb}]) button[type=submit]`)]);
    assert.match(new URL(page.url()).search, new RegExp(`done=${verb}`), `${verb} went through`);
  };
  const myState = async () => (await page.textContent("#my-state strong")).trim();

  // --- Alpha: acknowledge, ask for the details (terms), nothing secret before they are sent
  await signIn("psirt@alpha.example");
  await openCase();
  assert.ok(!(await page.content()).includes("SECRET-STEPS"), "no details before asking");
  assert.ok(!(await page.content()).includes("Beta Systems"), "Alpha never sees another vendor");
  await act("acknowledge");
  assert.equal(await myState(), "acknowledged");
  await page.check("input[name=accept_terms]");
  await act("request_details");
  assert.equal(await myState(), "details_requested");

  // --- the coordinator sends the details from the per-vendor table
  await signIn("coord@cc.example");
  await openCase();
  assert.equal(await page.locator("#vendor-table tbody tr").count(), 3, "three vendors in the table");
  await act("send_details", "#vendor-table tr:has(td:text('Alpha Soft'))");

  // --- Alpha: details, affected, fix, statement, asks to move the date
  await signIn("psirt@alpha.example");
  await openCase();
  assert.match(await page.textContent("#details"), /SECRET-STEPS/, "the details once sent");
  await page.selectOption("select[name=verification]", "affected");
  await act("verify");
  await page.fill("form:has(input[value=report_fix]) textarea[name=text]", "RouterOS 3.3 fixes it");
  await act("report_fix");
  await page.selectOption("form:has(input[value=statement]) select[name=status]", "fixed");
  await page.fill("textarea[name=text_ja]", "3.3 で修正しました");
  await page.fill("textarea[name=text_en]", "Fixed in 3.3");
  await act("statement");
  await page.fill("input[name=publish_at]", "2027-03-15T11:00");
  await page.fill("form:has(input[value=request_date]) textarea[name=reason]", "the fix ships on March 10");
  await act("request_date");

  // --- Beta: no affected product, statement, ready
  await signIn("sec@beta.example");
  await openCase();
  await act("no_affected_product");
  await page.selectOption("form:has(input[value=statement]) select[name=status]", "not_affected");
  await page.fill("textarea[name=text_en]", "Beta products do not use the code");
  await act("statement");
  await act("ready");
  assert.equal(await myState(), "ready");

  // --- the coordinator accepts the date request; the one date moves
  await signIn("coord@cc.example");
  await openCase();
  await act("accept_date", "#date");
  assert.equal((await page.textContent("#publish-at")).trim(), "2027-03-15 11:00 JST", "the moved date in JST");
  assert.equal(await page.getAttribute("#publish-at time", "datetime"), "2027-03-15T02:00:00Z");

  // --- Alpha: ready
  await signIn("psirt@alpha.example");
  await openCase();
  await act("ready");

  // --- Gamma is silent: three reminders, then unreachable and publicly listed
  for (const at of ["2027-01-20T09:00:00Z", "2027-01-23T09:00:00Z", "2027-01-26T09:00:00Z", "2027-01-29T09:00:00Z"])
    k("tick", "--at", at);
  await context.clearCookies();
  await page.goto(base + "/unreachable?lang=en");
  assert.match(await page.textContent("main"), /Gamma Silent/, "Gamma on the public unreachable list");

  await signIn("coord@cc.example");
  await openCase();
  assert.match(await page.textContent("dl.props"), /ready/, "the case is ready for publication");
  assert.match(await page.textContent("#vendor-table"), /unreachable/, "Gamma marked unreachable in the table");
  assert.match(await page.textContent("#timeline"), /case\.ready/, "the timeline shows it");
  await page.screenshot({ path: path.join(logDir, "browser-case-coordinator.png"), fullPage: true });
  await page.goto(base + "/cases/stalled?days=0&lang=en");
  assert.match(await page.textContent("#stalled"), new RegExp(ref));
  assert.deepEqual(errors, [], "no script errors or CSP violations");
  console.log("ok - browser case: three vendors to ready, date moved at a vendor's request, silent vendor listed");
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
