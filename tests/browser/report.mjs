// tests/browser/report.mjs — three reports through the pages in headless Debian chromium:
// the public form (with files; first sent back for a missing item with everything typed kept)
// to acceptance, to rejection, and through "more information requested" (the finder answers
// with a file through the secret link) to acceptance. The finder
// sees each status through the secret link; the receiver works in /triage. The finder's mail is
// in the maildir sink, and for the finder who gave a PGP key it is encrypted and a throwaway
// GnuPG key decrypts it. Starts its own `keikai serve` with a fresh database.
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import assert from "node:assert/strict";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const keikai = process.env.KEIKAI || path.join(root, "build-test/keikai");
const logDir = process.env.KEIKAI_TEST_LOGS || path.join(path.dirname(keikai), "test-logs");
mkdirSync(logDir, { recursive: true });
const tmp = mkdtempSync(path.join(tmpdir(), "keikai-browser-report-"));
const db = path.join(tmp, "keikai.db");
const maildir = path.join(tmp, "mail");
const gnupg = path.join(tmp, "gnupg");
mkdirSync(gnupg, { mode: 0o700 });
const env = { ...process.env, KEIKAI_TEST_FAST_HASH: "1", KEIKAI_MAILDIR: maildir, KEIKAI_BASE_URL: "" };
const run = (args, input) => execFileSync(keikai, ["--db", db, ...args],
  { env, input, stdio: [input ? "pipe" : "ignore", "pipe", "inherit"] }).toString();

run(["init"]);
run(["user", "add", "--email", "receiver@example.org", "--name", "Rei Receiver", "--role", "receiver"],
  "receiver-password-1\n");
// the throwaway key of the finder who wants encrypted mail
execFileSync("gpg", ["--homedir", gnupg, "--batch", "--passphrase", "", "--quick-gen-key",
  "Pgp Finder <pgp.finder@example.org>", "default", "default", "never"], { stdio: "ignore" });
const pgpKey = execFileSync("gpg", ["--homedir", gnupg, "--armor", "--export", "pgp.finder@example.org"]).toString();
assert.match(pgpKey, /BEGIN PGP PUBLIC KEY BLOCK/);
const poc = path.join(tmp, "poc.txt"), shot = path.join(tmp, "shot.png"), more = path.join(tmp, "more.txt");
writeFileSync(poc, "GET /search?q=<script>alert(1)</script> HTTP/1.1\r\n");
writeFileSync(shot, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("img")]));
writeFileSync(more, "build 7, firmware 2.1.3\n");

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

// The mail of one recipient in the sink (after a flush): [{headers, body}] with base64 bodies decoded.
function mailTo(addr) {
  run(["mail", "flush"]);
  let files = [];
  try { files = readdirSync(path.join(maildir, "new")); } catch { return []; }
  return files.map((f) => readFileSync(path.join(maildir, "new", f), "utf8"))
    .filter((m) => new RegExp("^To:.*" + addr.replace(/\./g, "\\."), "mi").test(m))
    .map((m) => {
      const i = m.indexOf("\r\n\r\n") >= 0 ? m.indexOf("\r\n\r\n") : m.indexOf("\n\n");
      const headers = m.slice(0, i), raw = m.slice(i).trim();
      const body = /Content-Transfer-Encoding:\s*base64/i.test(headers) ? Buffer.from(raw, "base64").toString("utf8") : raw;
      return { headers, body, raw: m };
    });
}
function decrypt(mail) {
  const armored = mail.raw.match(/-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/);
  assert.ok(armored, "an armored PGP message in the mail");
  return execFileSync("gpg", ["--homedir", gnupg, "--batch", "--quiet", "--decrypt"], { input: armored[0] }).toString();
}

const launch = (dir) => chromium.launchPersistentContext(path.join(tmp, dir), {
  executablePath: "/usr/bin/chromium", headless: true, locale: "en-US", viewport: { width: 1100, height: 900 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

let failed = false, finderCtx, deskCtx;
process.on("uncaughtException", (e) => { console.error("not ok -", e); server.kill("SIGTERM"); process.exit(1); });
try {
  finderCtx = await launch("finder");
  deskCtx = await launch("desk");
  const finder = await finderCtx.newPage(), desk = await deskCtx.newPage();
  const errors = [];
  for (const p of [finder, desk]) {
    p.on("pageerror", (e) => errors.push(String(e)));
    p.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) errors.push(m.text()); });
  }

  // the finder's form: returns {tracking, link}
  async function report({ name, email, product, desc, pgp, files, forgetAck }) {
    await finder.goto(base + "/");
    await Promise.all([finder.waitForLoadState("load"), finder.click("#nav-report")]);
    assert.equal(new URL(finder.url()).pathname, "/report", "the navigation leads to the form");
    await finder.check("input[name=kind][value=product]");
    await finder.fill("input[name='finder.name']", name);
    await finder.fill("input[name='finder.email']", email);
    if (pgp) await finder.fill("textarea[name='finder.pgp_key']", pgp);
    await finder.fill("input[name='product.name']", product);
    await finder.fill("input[name='product.vendor']", "Acme");
    await finder.fill("input[name='vulnerability.cwe']", "CWE-79");
    await finder.fill("textarea[name='vulnerability.description']", desc);
    if (files) await finder.setInputFiles("#f-files", files);
    if (forgetAck) {
      // the policy left unticked: the form comes back with the error beside it and everything kept
      const bad = (await Promise.all([finder.waitForNavigation(), finder.click("#report-form button[type=submit]")]))[0];
      assert.equal(bad.status(), 422, "a report without the policy acknowledged is refused");
      assert.ok(await finder.isVisible("#err-policy_ack"), "the error stands beside the policy checkbox");
      assert.match(await finder.textContent("#err-policy_ack"), /handling policy/, "and names it");
      assert.equal(await finder.inputValue("input[name='finder.name']"), name, "the name is kept");
      assert.equal(await finder.inputValue("input[name='finder.email']"), email, "the e-mail is kept");
      if (pgp) assert.equal((await finder.inputValue("textarea[name='finder.pgp_key']")).trim(), pgp.trim(), "the key is kept");
      assert.equal(await finder.inputValue("input[name='product.name']"), product, "the product is kept");
      assert.equal(await finder.inputValue("input[name='product.vendor']"), "Acme", "the vendor is kept");
      assert.equal(await finder.inputValue("input[name='vulnerability.cwe']"), "CWE-79", "the CWE is kept");
      assert.equal(await finder.inputValue("textarea[name='vulnerability.description']"), desc, "the description is kept");
      assert.ok(await finder.isChecked("input[name=kind][value=product]"), "the kind is kept");
      if (files) {
        assert.ok(await finder.isVisible("#files-again"), "the finder is told to choose the files again");
        await finder.setInputFiles("#f-files", files);
      }
      await finder.screenshot({ path: path.join(logDir, "browser-report-form-error.png"), fullPage: true });
    }
    await finder.check("input[name=policy_ack]");
    const resp = (await Promise.all([finder.waitForNavigation(), finder.click("#report-form button[type=submit]")]))[0];
    assert.equal(resp.status(), 201, "the report is received: " + (await finder.textContent("main")).slice(0, 300));
    const tracking = (await finder.textContent("#tracking")).trim();
    assert.match(tracking, /^KK-\d{4}-\d+$/);
    const link = await finder.getAttribute("#secret-link", "href");
    assert.ok(link.startsWith("/r/" + tracking + "?key="), "the receipt shows the secret link");
    return { tracking, link };
  }
  async function finderStatus(r) {
    const resp = await finder.goto(base + r.link + "&lang=en");
    assert.equal(resp.status(), 200);
    return finder.getAttribute("#status", "data-status");
  }
  async function act(tracking, form, text) {
    await desk.goto(base + "/triage/" + tracking + "?lang=en");
    if (text) await desk.fill(form + " textarea[name=text]", text);
    await Promise.all([desk.waitForLoadState("load"), desk.click(form + " button[type=submit]")]);
    assert.match(desk.url(), /done=/, "the action went through: " + (await desk.textContent("main")).slice(0, 300));
  }

  // --- the receiver signs in; the navigation offers the queue
  await desk.goto(base + "/login?lang=en");
  await desk.fill("#email", "receiver@example.org");
  await desk.fill("#password", "receiver-password-1");
  await Promise.all([desk.waitForLoadState("load"), desk.click("#login-form button[type=submit]")]);
  assert.ok(await desk.isVisible("#nav-triage"), "receivers get the queue in the navigation");
  assert.ok(!(await finder.goto(base + "/")) || !(await finder.isVisible("#nav-triage")), "the public does not");

  // --- 1: the form with two files and a PGP key, to acceptance; the mail is encrypted
  const a = await report({ name: "Pgp Finder", email: "pgp.finder@example.org", product: "Gizmo Router",
    desc: "Stored XSS in the admin comment box <b>bold</b>", pgp: pgpKey, files: [poc, shot], forgetAck: true });
  assert.equal(await finderStatus(a), "received");
  assert.match(await finder.textContent("#attachments"), /poc\.txt[\s\S]*shot\.png/, "the finder sees their files");
  await finder.screenshot({ path: path.join(logDir, "browser-report-status.png"), fullPage: true });
  await Promise.all([desk.waitForLoadState("load"), desk.click("#nav-triage")]);
  assert.match(await desk.textContent("#queue"), new RegExp(a.tracking), "the report is in the queue");
  await desk.goto(base + "/triage/" + a.tracking + "?lang=en");
  assert.ok(!(await desk.content()).includes("Pgp Finder"), "the finder is sealed on the triage page");
  const href = await desk.getAttribute("#attachments a:has-text('poc.txt')", "href");
  const dl = await desk.request.get(base + href);
  assert.equal(dl.status(), 200);
  assert.match(dl.headers()["content-disposition"], /^attachment;/, "a download, never inline");
  assert.equal(dl.headers()["content-type"], "application/octet-stream");
  assert.equal((await dl.body()).toString(), readFileSync(poc, "utf8"), "the receiver gets the file");
  await desk.screenshot({ path: path.join(logDir, "browser-report-triage.png"), fullPage: true });
  await act(a.tracking, "#act-accept");
  assert.equal(await finderStatus(a), "accepted", "the finder sees the acceptance");
  const pgpMail = mailTo("pgp.finder@example.org");
  assert.ok(pgpMail.length >= 2, "receipt and acceptance mailed to the PGP finder: " + pgpMail.length);
  for (const m of pgpMail) {
    assert.match(m.headers, /multipart\/encrypted/, "encrypted (PGP/MIME)");
    assert.ok(!m.raw.includes("Gizmo Router") && !m.raw.includes("key="), "nothing in plain");
  }
  const plain = pgpMail.map(decrypt).join("\n");
  assert.ok(plain.includes(a.tracking), "the test key decrypts the mail and it names the report");
  assert.ok(plain.includes("/r/" + a.tracking + "?key="), "the receipt carries the secret link");

  // --- 2: to rejection, with the reason shown to the finder and mailed
  const b = await report({ name: "Plain Finder", email: "plain.finder@example.org", product: "Toaster",
    desc: "The toaster burns toast" });
  await act(b.tracking, "#act-reject", "This is intended behaviour, not a vulnerability.");
  assert.equal(await finderStatus(b), "not_accepted", "the finder sees the rejection");
  assert.match(await finder.textContent("#reason"), /intended behaviour/, "and the reason");
  const bMail = mailTo("plain.finder@example.org");
  assert.ok(bMail.some((m) => m.body.includes("intended behaviour")), "the reason is mailed");
  assert.ok(bMail.every((m) => !/multipart\/encrypted/.test(m.headers)), "no key, plain mail");

  // --- 3: more information requested; the finder answers with a file; accepted
  const c = await report({ name: "Third Finder", email: "third.finder@example.org", product: "Kettle",
    desc: "Command injection in the kettle's web UI" });
  await act(c.tracking, "#act-request-info", "Which firmware build did you test?");
  assert.equal(await finderStatus(c), "info_requested", "the finder sees the question state");
  assert.match(await finder.textContent("#thread"), /Which firmware build/, "and the question");
  assert.ok(mailTo("third.finder@example.org").some((m) => m.body.includes("Which firmware build")), "the question is mailed");
  await finder.fill("#body", "Firmware 2.1.3, build 7; log attached.");
  await finder.setInputFiles("#f-files", [more]);
  await Promise.all([finder.waitForLoadState("load"), finder.click("#finder-form button[type=submit]")]);
  assert.equal(await finder.getAttribute("#status", "data-status"), "received", "the answer sends it back to received");
  assert.match(await finder.textContent("#attachments"), /more\.txt/, "the finder's new file is listed");
  await desk.goto(base + "/triage/" + c.tracking + "?lang=en");
  assert.match(await desk.textContent("#thread"), /Firmware 2\.1\.3/, "the receiver reads the answer");
  assert.match(await desk.textContent("#attachments"), /more\.txt/, "and sees the file");
  await act(c.tracking, "#act-accept");
  assert.equal(await finderStatus(c), "accepted", "the third report is accepted");
  assert.ok(mailTo("third.finder@example.org").length >= 3, "receipt, question and acceptance mailed");

  assert.deepEqual(errors, [], "no script errors or CSP violations");
  console.log("ok - browser reports: form with files to acceptance (PGP mail decrypted), to rejection, "
    + "through a question answered by the finder to acceptance");
} catch (e) {
  failed = true;
  console.error("not ok -", e);
} finally {
  if (finderCtx) await finderCtx.close();
  if (deskCtx) await deskCtx.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  try { execFileSync("gpgconf", ["--homedir", gnupg, "--kill", "all"], { stdio: "ignore" }); } catch { /* none running */ }
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
