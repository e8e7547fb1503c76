// tests/browser/redirect.mjs — the redirect after signing in never leaves the
// site in a real browser (issue 23, fault 1): Chromium drops TAB, CR and LF in
// a URL and reads "\" as "/", so /login?next=/%09/evil.example used to send a
// signed-in user to evil.example. Signs in through the form with each unsafe
// next, and visits /login?next=... signed in; every time the browser must end
// on /account of this server. Starts its own `keikai serve` on a free port.
// Chromium gets a fresh --user-data-dir (launchPersistentContext's profile folder) in a temp dir.
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
const env = { ...process.env, KEIKAI_TEST_FAST_HASH: "1" };
const email = "admin@example.org", password = "correct-horse-battery";

execFileSync(keikai, ["--db", db, "init"], { env, stdio: ["ignore", "ignore", "inherit"] });
execFileSync(keikai, ["--db", db, "user", "add", "--email", email, "--name", "Ada Admin", "--role", "admin"],
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

let failed = false;
let context;
process.on("uncaughtException", (e) => { console.error("not ok -", e); server.kill("SIGTERM"); process.exit(1); });
const unsafe = ["/%09/evil.example", "/%09%09/evil.example/x", "/%5Cevil.example", "/%5C/evil.example",
  "/%0D%0A/evil.example", "/%0A/evil.example", "%09//evil.example", "//evil.example", "/%2F/evil.example",
  "https://evil.example/"];
try {
  context = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    locale: "en-US",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      // were the redirect to leave, it would reach this server under another name: the host tells
      "--host-resolver-rules=MAP evil.example 127.0.0.1"],
  });
  const page = await context.newPage();
  const port = new URL(base).port;
  for (const next of unsafe) {
    await context.clearCookies();
    await page.goto(base + "/login?next=" + next);
    await page.fill("#email", email);
    await page.fill("#password", password);
    await Promise.all([page.waitForLoadState("load"), page.click("#login-form button[type=submit]")]);
    await page.waitForLoadState("load");
    assert.equal(page.url(), base + "/account", "form sign-in with next=" + next + " stays on the site");
    // signed in already: /login?next= redirects at once
    await page.goto(base + "/login?next=" + next).catch(() => {});
    assert.equal(page.url(), base + "/account", "signed-in /login?next=" + next + " stays on the site");
    assert.ok(!page.url().includes("evil.example:" + port), "never on evil.example");
  }
  // a safe local next is still followed
  await page.goto(base + "/login?next=/vulns");
  assert.equal(page.url(), base + "/vulns", "a local next is followed");
  console.log("ok - the redirect after signing in stays on the site (" + unsafe.length + " unsafe next values)");
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
