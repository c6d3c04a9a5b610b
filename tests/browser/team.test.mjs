// Browser tests of running a team, in Debian's headless Chromium (playwright-core) against the
// real binary and a real broker: the audit log an admin reads (laptop 1366x768 and phone
// 390x844), a CSV export downloaded and read back. Screenshots go to ARTIFACTS (team-*.png).
// Env: SWITCHBOARD (the binary), ARTIFACTS, REPO.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const repo = process.env.REPO, bin = process.env.SWITCHBOARD, artifacts = process.env.ARTIFACTS;
const GW = "gw-team";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sb-team-"));
const children = [], results = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise((ok, bad) => {
  const s = net.createServer().once("error", bad).listen(0, "127.0.0.1", () => {
    const { port } = s.address();
    s.close(() => ok(port));
  });
});
function start(cmd, args, logName) {
  const p = spawn(cmd, args, { stdio: ["ignore", fs.openSync(path.join(tmp, logName), "w"), fs.openSync(path.join(tmp, logName), "a")] });
  children.push(p);
  return p;
}
async function until(what, fn, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (Date.now() > end) throw new Error(what + ": " + e.message);
    }
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await sleep(100);
  }
}
function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

// ---- broker, service, users ----
const mqPort = await freePort(), httpPort = await freePort();
fs.writeFileSync(path.join(tmp, "mosquitto.conf"),
  `listener ${mqPort} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\npersistence false\n`);
start("mosquitto", ["-c", path.join(tmp, "mosquitto.conf")], "mosquitto.log");
await until("mosquitto", () => new Promise((ok) => {
  const s = net.connect(mqPort, "127.0.0.1", () => { s.end(); ok(true); }).on("error", () => ok(false));
}));
const cfg = path.join(tmp, "config.toml");
fs.writeFileSync(cfg, `gateway_id = "${GW}"
[storage]
dir = "${tmp}/data"
[admin]
listen = "127.0.0.1:${httpPort}"
[mqtt]
uri = "tcp://127.0.0.1:${mqPort}"
[audit]
max_entries = 1000
[routing]
default_department = "support"
[[departments]]
id = "support"
name = "Support"
[[departments]]
id = "billing"
name = "Billing"
# Closed from yesterday to tomorrow (UTC): the queue says so, and when it opens.
holidays = [${[-1, 0, 1].map((d) => `"${new Date(Date.now() + d * 864e5).toISOString().slice(0, 10)}"`).join(", ")}]
[[agents]]
id = "ana"
name = "Ana"
department = "support"
[[agents]]
id = "ben"
name = "Ben"
department = "billing"
`);
const USERS = { boss: ["admin", "correct-horse-1"], ana: ["agent", "agent-password-1"], ben: ["agent", "agent-password-2"] };
for (const [name, [role, pw]] of Object.entries(USERS))
  execFileSync(bin, ["user", "add", name, "--role", role, "--config", cfg], { input: pw + "\n", stdio: ["pipe", "ignore", "pipe"] });
start(bin, ["run", "--config", cfg], "service.log");
const URL = `http://127.0.0.1:${httpPort}`;
await until("/healthz", async () => (await fetch(URL + "/healthz")).ok);
await until("the broker connected", async () => (await (await fetch(URL + "/healthz")).json()).status === "ok");
const pydir = path.join(tmp, "py");
fs.mkdirSync(pydir);
execFileSync("protoc", ["-I", path.join(repo, "services/proto"), "--python_out=" + pydir, path.join(repo, "services/proto/switchboard.proto")]);
let n = 0;
function inject(list) {
  const file = path.join(tmp, "batch-" + ++n + ".jsonl");
  fs.writeFileSync(file, list.map(([channel, sender, name, text], i) =>
    JSON.stringify({ channel, sender, name, text, id: `team-${process.pid}-${n}-${i}` })).join("\n"));
  execFileSync("/usr/bin/python3", [path.join(repo, "tests/browser/inject_many.py"), String(mqPort), GW, pydir, file], { stdio: "inherit" });
}
inject([
  ["whatsapp", "+31612340001", "Rita Okafor", "I want a refund for order 4471"],
  ["webchat", "web-1002", "Jonas \"JJ\" Weber, Jr.", "Can I speak to a human please"],
  ["email", "mei@example.org", "Mei Lin", "hello"],
  ["whatsapp", "+31612340004", "Pedro Alves", "=HYPERLINK(\"http://x\") I want a refund"],
]);

// ---- the browser ----
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
const pageErrors = [];
const LAPTOP = { viewport: { width: 1366, height: 768 }, acceptDownloads: true };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, acceptDownloads: true };
async function session(user, device, password = USERS[user][1]) {
  const ctx = await browser.newContext(device);
  const p = await ctx.newPage();
  p.on("pageerror", (e) => pageErrors.push(user + ": " + e.message));
  await p.goto(URL + "/");
  await p.waitForSelector("form#login");
  await p.fill("form#login input[name=name]", user);
  await p.fill("form#login input[name=password]", password);
  await p.click("form#login button[type=submit]");
  return p;
}
const shot = (name, p) => p.screenshot({ path: path.join(artifacts, "team-" + name + ".png"), fullPage: false, caret: "initial" });
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e.message}`);
    throw e;
  }
}
// RFC 4180: fields separated by commas, records by CRLF, quoted fields with "" for a quote.
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", i = 0, quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (ch === '"') (quoted = false), i++;
      else (field += ch), i++;
    } else if (ch === '"') (quoted = true), i++;
    else if (ch === ",") row.push(field), (field = ""), i++;
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), (i += 2);
    else (field += ch), i++;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
const api = (p, method, route, body) => p.evaluate(([m, r, b]) => SB.api(m, r, b), [method, route, body]);
const noSideways = async (p, what) => {
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, what + " scrolls sideways by " + overflow + " px");
};

const t0 = Date.now();
try {
  let boss, ana, convs = [];
  await step("logins: a wrong password, then Ana and the admin", async () => {
    const wrong = await session("ana", LAPTOP, "not-the-password");
    await wrong.waitForSelector("#toast:not([hidden])");
    await wrong.context().close();
    ana = await session("ana", LAPTOP);
    await ana.waitForSelector("#nav:not([hidden])");
    boss = await session("boss", LAPTOP);
    await boss.waitForSelector("#nav:not([hidden])");
    convs = await api(boss, "GET", "/conversations");
    check(convs.length === 4, convs.length + " conversations, not 4");
  });

  await step("Ana's reply, tag and close show in the admin's audit log with her address", async () => {
    const refund = convs.find((c) => c.contact === "+31612340001");
    await api(ana, "POST", "/conversations/" + refund.id + "/messages", { text: "Your refund is on its way" });
    await api(ana, "POST", "/conversations/" + refund.id + "/tags", { tag: "refund" });
    await api(ana, "POST", "/conversations/" + refund.id + "/close", {});
    await boss.goto(URL + "/#/audit");
    const target = "conversation " + refund.id;
    // Logins are kept in the next group commit (up to the 300 ms commit window), the close in
    // its own transaction: wait for both.
    await until("Ana's close and the admin's login in the list", async () => {
      await boss.evaluate(() => SB.views.audit());
      return (await boss.locator("#audit li[data-action=close]").count()) === 1 &&
        (await boss.locator("#audit li[data-action=login]").allTextContents()).some((t) => t.includes("boss"));
    });
    const texts = await boss.locator("#audit li").allTextContents();
    for (const action of ["close", "tag", "reply", "login", "login_failed"])
      check(texts.some((t) => t.includes("ana") && t.includes(action)), "no '" + action + "' by ana in the audit list");
    check(texts.some((t) => t.includes(target) && t.includes("from 127.0.0.1")), "the close does not say where it came from");
    check(texts.some((t) => t.includes("boss") && t.includes("login")), "the admin's own login is missing");
    check(!texts.some((t) => t.includes("Your refund is on its way")), "a reply's text is in the audit log");
    await shot("audit-laptop", boss);
    await noSideways(boss, "the audit log (laptop)");
  });

  await step("the audit log on a phone (390x844)", async () => {
    const phone = await session("boss", PHONE);
    await phone.waitForSelector("#nav:not([hidden])");
    await phone.goto(URL + "/#/audit");
    await phone.waitForSelector("#audit li[data-action=close]");
    const box = await phone.locator("#audit li").first().boundingBox();
    check(box && box.width <= 390 && box.x >= 0, "an entry is wider than the phone: " + JSON.stringify(box));
    await shot("audit-phone", phone);
    await noSideways(phone, "the audit log (phone)");
    await phone.goto(URL + "/#/stats");
    await phone.waitForSelector("#export-conversations");
    await phone.locator("#export-handoffs").scrollIntoViewIfNeeded();
    await shot("export-phone", phone);
    await noSideways(phone, "the statistics with the export (phone)");
    await phone.context().close();
  });

  await step("a CSV export downloaded from the statistics page, opened and checked", async () => {
    const refund = convs.find((c) => c.contact === "+31612340004");
    await api(boss, "POST", "/conversations/" + refund.id + "/tags", { tag: 'vip, "gold"' });
    await boss.goto(URL + "/#/stats");
    await boss.waitForSelector("#export-conversations");
    const today = new Date().toISOString().slice(0, 10);
    await boss.fill("#export-since", today);
    await boss.fill("#export-until", today);
    await shot("export-laptop", boss);
    const [download] = await Promise.all([boss.waitForEvent("download"), boss.click("#export-conversations")]);
    check(download.suggestedFilename() === `conversations-${today}-${today}.csv`, "file name " + download.suggestedFilename());
    const file = path.join(tmp, "export.csv");
    await download.saveAs(file);
    const rows = parseCsv(fs.readFileSync(file, "utf8"));
    check(rows[0].join(",") === "id,created_at,channel,status,trigger,rule,department,agent,handoff_at,first_human_reply_s,close_s,csat,tags",
      "header: " + rows[0].join(","));
    const body = rows.slice(1);
    check(body.length === 4, body.length + " rows, not 4");
    const col = (name) => rows[0].indexOf(name);
    const byId = Object.fromEntries(body.map((r) => [r[col("id")], r]));
    const closed = byId[String(convs.find((c) => c.contact === "+31612340001").id)];
    check(closed[col("status")] === "closed" && closed[col("agent")] === "ana" && closed[col("trigger")] === "keyword",
      "the closed refund's row: " + closed.join("|"));
    check(/^\d+$/.test(closed[col("first_human_reply_s")]) && /^\d+$/.test(closed[col("close_s")]), "times missing: " + closed.join("|"));
    check(byId[String(refund.id)][col("tags")] === 'vip, "gold"', "the quoted tag came back as " + byId[String(refund.id)][col("tags")]);
    const mei = body.find((r) => r[col("channel")] === "email");
    check(mei && mei[col("trigger")] === "" && mei[col("first_human_reply_s")] === "", "the bot's conversation: " + (mei || []).join("|"));
    // The day after today holds none of them.
    const tomorrow = new Date(Date.now() + 864e5).toISOString().slice(0, 10);
    const later = await boss.evaluate((d) => fetch(`/api/v1/export/conversations.csv?since=${d}&until=${d}`).then((r) => r.text()), tomorrow);
    check(parseCsv(later).length === 1, "rows outside the range");
    const [stats] = await Promise.all([boss.waitForEvent("download"), boss.click("#export-handoffs")]);
    const srows = parseCsv(fs.readFileSync(await stats.path(), "utf8"));
    check(srows.length === 2 && srows[1][0] === today && srows[1][1] === "4", "handoff statistics: " + JSON.stringify(srows));
  });

  await step("snooze until the customer writes: out of the inbox, back at the top when they do", async () => {
    const jj = convs.find((c) => c.contact === "web-1002");
    await ana.goto(URL + "/#/c/" + jj.id);
    await ana.waitForSelector("#snooze-for");
    await ana.selectOption("#snooze-for", "customer");
    await ana.click("button[data-act=snooze]");
    await ana.waitForSelector("#snoozed", { timeout: 5000 }).catch(async (e) => {
      await shot("snooze-failed", ana);
      throw new Error(e.message + "; toast: " + (await ana.textContent("#toast")));
    });
    check(/until the customer writes/.test(await ana.textContent("#snoozed")), "no snoozed note");
    await shot("snoozed-laptop", ana);
    await ana.goto(URL + "/#/inbox");
    await ana.waitForSelector("#inbox a.conv");
    const names = await ana.locator("#inbox a.conv .contact").allTextContents();
    check(!names.some((t) => t.includes("Weber")), "the snoozed conversation is still listed: " + names.join(", "));
    inject([["webchat", "web-1002", "Jonas \"JJ\" Weber, Jr.", "Any news about my order?"]]);
    await until("the woken conversation first in the inbox", async () =>
      ((await ana.locator("#inbox a.conv .contact").first().textContent()) || "").includes("Weber"));
    await shot("woken-laptop", ana);
  });

  await step("transfer with a private note on a phone (390x844): the receiver sees the note", async () => {
    const pedro = convs.find((c) => c.contact === "+31612340004");
    const phone = await session("ana", PHONE);
    await phone.waitForSelector("#nav:not([hidden])");
    await phone.goto(URL + "/#/c/" + pedro.id);
    await phone.waitForSelector("details.transferbox");
    await phone.click("details.transferbox summary");
    await until("Ben in the transfer list", async () => (await phone.locator("#transfer-to option[value='a:ben']").count()) === 1);
    await phone.selectOption("#transfer-to", "a:ben");
    const NOTE = "Charged twice on 3 Nov; card ends 4417. Refund the second one.";
    await phone.fill("#transfer-note", NOTE);
    await phone.locator("button[data-act=transfer]").scrollIntoViewIfNeeded();
    await shot("transfer-phone", phone);
    await noSideways(phone, "the transfer form (phone)");
    await phone.click("button[data-act=transfer]");
    await until("the transfer in the history", async () =>
      (await phone.locator("#history .m-note").allTextContents()).some((t) => t.includes(NOTE) && t.includes("transfer to agent ben")));
    await phone.context().close();
    const c = await api(boss, "GET", "/conversations/" + pedro.id);
    check(c.assignee === "ben" && c.status === "assigned", "not with Ben: " + c.status + " " + c.assignee);
    check(!c.messages.some((m) => m.direction === "out" && m.text.includes("4417")), "the note went out on the channel");

    const ben = await session("ben", PHONE);
    await ben.waitForSelector("#nav:not([hidden])");
    await ben.goto(URL + "/#/c/" + pedro.id);
    await ben.waitForSelector("#transfer-received");
    const shown = await ben.textContent("#transfer-received");
    check(shown.includes(NOTE) && shown.includes("ana"), "the receiver's note reads: " + shown);
    check((await ben.locator("#history .m-note").allTextContents()).some((t) => t.includes(NOTE)), "no note in Ben's history");
    await shot("transfer-received-phone", ben);
    await noSideways(ben, "the received transfer (phone)");
    await ben.context().close();
    await boss.goto(URL + "/#/audit");
    await until("the transfer in the audit log", async () => {
      await boss.evaluate(() => SB.views.audit());
      return (await boss.locator("#audit li[data-action=transfer]").count()) === 1;
    });
    const line = await boss.textContent("#audit li[data-action=transfer]");
    check(line.includes("agent=ben") && !line.includes("4417"), "the audit line: " + line);
  });

  await step("the queue names a closed department and when it opens", async () => {
    await ana.goto(URL + "/#/queue");
    const opens = new Date(Date.now() + 2 * 864e5).toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
    await ana.waitForSelector("#hours");
    const text = await ana.textContent("#hours");
    check(text === `Billing: closed, opens ${opens} 00:00`, text);
    await shot("queue-hours-laptop", ana);
  });

  await step("a busy queue on a phone (390x844): 32 more conversations, the closed department named, its thread says so", async () => {
    const first = ["Amara", "Bruno", "Chloé", "Dmitri", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Jia", "Kofi", "Lena",
      "Mateus", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena",
      "Yusuf", "Zofia", "Aylin", "Bilal", "Carmen", "Dario", "Elif", "Farid"];
    const asks = ["I was charged twice this month, can I talk to someone?", "My invoice shows the wrong VAT number, I need a person",
      "Can a human help me with a refund please", "The payment failed three times, agent please", "Where is my receipt for order 5512?",
      "I want to speak to someone about my bill", "Why did my subscription price go up? Human please", "Please cancel my plan and refund me"];
    const chans = [["whatsapp", (i) => "+4915112300" + String(i).padStart(2, "0")], ["webchat", (i) => "web-2" + String(i).padStart(3, "0")],
      ["email", (i) => first[i].toLowerCase().normalize("NFD").replace(/[^a-z]/g, "") + "@example.net"], ["instagram", (i) => "ig_" + first[i].toLowerCase().normalize("NFD").replace(/[^a-z]/g, "") + i]];
    inject(first.map((name, i) => {
      const [ch, addr] = chans[i % chans.length];
      return [ch, addr(i), name + " " + ["Okoro", "Silva", "Martin", "Petrov", "Nwosu", "Haddad"][i % 6], asks[i % asks.length]];
    }));
    let all = [];
    await until("32 more conversations", async () => (all = await api(boss, "GET", "/conversations")).length >= 36);
    // Half of them go to Billing, closed today: the queue and each thread say when it opens.
    const moved = all.filter((c) => c.contact !== "+31612340001" && c.status === "queued").slice(0, 16);
    for (const c of moved) await api(boss, "POST", "/conversations/" + c.id + "/transfer", { department: "billing" });
    const phone = await session("ben", PHONE);
    await phone.waitForSelector("#nav:not([hidden])");
    await phone.goto(URL + "/#/queue");
    await phone.waitForSelector("#hours");
    const opens = new Date(Date.now() + 2 * 864e5).toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
    check((await phone.textContent("#hours")).includes(`Billing: closed, opens ${opens} 00:00`), "the queue's hours line on a phone");
    await shot("queue-hours-phone", phone);
    await noSideways(phone, "the queue with 36 conversations (phone)");
    await phone.goto(URL + "/#/c/" + moved[0].id);
    await phone.waitForSelector("#conv .dep .hours");
    const dep = await phone.textContent("#conv .dep");
    check(dep === `department: billing (closed, opens ${opens} 00:00)`, "the thread's department line: " + dep);
    await shot("thread-hours-phone", phone);
    await noSideways(phone, "a Billing thread (phone)");
    // An open department's thread says nothing about hours.
    await phone.goto(URL + "/#/c/" + all.find((c) => !moved.includes(c) && c.department === "support").id);
    // The Billing thread stays on screen until the new one is drawn: wait for the new one.
    await until("the support thread drawn", async () =>
      ((await phone.textContent("#conv .dep")) || "").startsWith("department: support"));
    check(await phone.locator("#conv .dep .hours").count() === 0, "an open department's thread shows hours");
    await phone.context().close();
  });

  await step("agents have no audit page", async () => {
    check(await ana.locator('#nav a[data-view=audit]').isHidden(), "an agent sees the Audit link");
    const r = await ana.evaluate(() => fetch("/api/v1/audit").then((x) => x.status));
    check(r === 403, "an agent read the audit log: " + r);
  });

  await step("no script errors", async () => check(pageErrors.length === 0, pageErrors.join(" | ")));
} catch (e) {
  process.exitCode = 1;
  console.log("--- service log (tail) ---\n" + fs.readFileSync(path.join(tmp, "service.log"), "utf8").slice(-3000));
} finally {
  await browser.close().catch(() => {});
  for (const p of children) p.kill("SIGTERM");
  await sleep(300);
  if (!process.exitCode) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log("kept " + tmp + " for inspection");
}
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed}/${results.length} team steps passed in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
if (failed) process.exitCode = 1;
