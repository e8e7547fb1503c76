// tests/browser/login.mjs — a person's path through the pages in headless
// Debian chromium: open the sign-in page, sign in, open "my account", create
// an API token (shown once), sign out. Starts its own `keikai serve` on a free
// port with a fresh database. Screenshots go to the test log directory.
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
try {
  context = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    locale: "en-US",
    viewport: { width: 1100, height: 800 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // script errors and CSP violations; a 401 answer to a wrong password is expected
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 401/.test(m.text())) errors.push(m.text());
  });

  let resp = await page.goto(base + "/account");
  assert.equal(new URL(page.url()).pathname, "/login", "account redirects to sign-in");
  assert.equal(await page.getAttribute("html", "lang"), "en", "Accept-Language picks English");

  // a wrong password shows an error on the form
  await page.fill("#email", email);
  await page.fill("#password", "not-the-password");
  await Promise.all([page.waitForLoadState("load"), page.click("#login-form button[type=submit]")]);
  assert.match(await page.textContent(".notice.error"), /Wrong email or password/);

  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(base + "/account"), page.click("#login-form button[type=submit]")]);
  assert.equal(await page.textContent("#account-email"), email);
  assert.equal(await page.textContent("#account-name"), "Ada Admin");
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "kk_session");
  assert.ok(session && session.httpOnly && session.sameSite === "Strict", "session cookie HttpOnly + Strict");

  // create a token: shown once
  await page.fill("#token-name", "browser test");
  await Promise.all([page.waitForLoadState("load"), page.click("form[action='/account/tokens'] button")]);
  const secret = (await page.textContent("#new-token code")).trim();
  assert.match(secret, /^kk_[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: path.join(logDir, "browser-account.png"), fullPage: true });
  resp = await page.goto(base + "/account");
  assert.equal(resp.status(), 200);
  assert.ok(!(await page.content()).includes(secret), "the token is not shown again");

  // Japanese page
  await page.goto(base + "/account?lang=ja");
  assert.equal(await page.getAttribute("html", "lang"), "ja");
  assert.match(await page.textContent("h1"), /アカウント/);
  await page.screenshot({ path: path.join(logDir, "browser-account-ja.png"), fullPage: true });

  // narrow screen stays usable
  await page.setViewportSize({ width: 380, height: 800 });
  await page.goto(base + "/admin/users?lang=en");
  await page.screenshot({ path: path.join(logDir, "browser-users-narrow.png"), fullPage: true });

  // sign out
  await page.setViewportSize({ width: 1100, height: 800 });
  await Promise.all([page.waitForURL(base + "/"), page.click("#logout")]);
  resp = await page.goto(base + "/account");
  assert.equal(new URL(page.url()).pathname, "/login", "signed out: account asks to sign in again");
  assert.deepEqual(errors, [], "no script errors or CSP violations");
  console.log("ok - browser sign-in, account, token, sign-out");
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
