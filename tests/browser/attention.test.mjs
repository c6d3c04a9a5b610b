// Browser tests of what an agent needs first, in Debian's headless Chromium (playwright-core)
// against the real binary and a real broker, with 40+ conversations on three channels: urgent
// first in every list, unread counts and alerts carrying the customer's words, reopen keeping
// the bot silent, users disabled from the page, the outage banner and health summary, and the
// phone layout (390x844) beside a laptop's (1366x768). Screenshots go to ARTIFACTS.
// Env: SWITCHBOARD (the binary), ARTIFACTS, REPO.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const repo = process.env.REPO, bin = process.env.SWITCHBOARD, artifacts = process.env.ARTIFACTS;
const GW = "gw-attention";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sb-attention-"));
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
const mosquitto = start("mosquitto", ["-c", path.join(tmp, "mosquitto.conf")], "mosquitto.log");
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
[routing]
default_department = "support"
[[departments]]
id = "support"
name = "Support"
[[departments]]
id = "billing"
name = "Billing"
[[agents]]
id = "ana"
name = "Ana"
department = "support"
[[agents]]
id = "ben"
name = "Ben"
department = "support"
`);
const USERS = { boss: ["admin", "correct-horse-1"], ana: ["agent", "agent-password-1"], ben: ["agent", "agent-password-2"] };
for (const [name, [role, pw]] of Object.entries(USERS))
  execFileSync(bin, ["user", "add", name, "--role", role, "--config", cfg], { input: pw + "\n", stdio: ["pipe", "ignore", "pipe"] });
let service = start(bin, ["run", "--config", cfg], "service.log");
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
    JSON.stringify({ channel, sender, name, text, id: `at-${process.pid}-${n}-${i}` })).join("\n"));
  execFileSync("/usr/bin/python3", [path.join(repo, "tests/browser/inject_many.py"), String(mqPort), GW, pydir, file], { stdio: "inherit" });
}

// Thirty customers of a shop on WhatsApp, Web Chat and Email: questions the bot answers and
// requests that go to a person.
const ROUTINE = [
  "Hi, what are your opening hours?", "I want a refund for order 4471", "Do you deliver to Rotterdam?",
  "I want to talk to someone", "Where is my parcel? Tracking says nothing", "Can I get a refund? The shoes don't fit",
  "How do I login?", "hello", "Can I speak to a human please", "Is the blue jacket back in stock?",
  "The invoice shows the wrong address", "I'd like a refund, the lamp arrived broken", "Do you have gift cards?",
  "thanks!", "Can someone call me back about my order?", "My discount code does not work",
];
const NAMES = ["Rita Okafor", "Jonas Weber", "Mei Lin", "Pedro Alves", "Sara Nilsson", "Tomasz Nowak", "Aisha Bello",
  "Lucas Martin", "Hana Kim", "Oliver Smith", "Ingrid Berg", "Yusuf Demir", "Chloé Dubois", "Ravi Patel", "Emma Rossi",
  "Kofi Mensah", "Lena Fischer", "Diego Ruiz", "Nora Haddad", "Sven Olsen", "Ana Costa", "Marta Kowalska", "Jamal Wright",
  "Elif Yılmaz", "Finn Murphy", "Zoe Clarke", "Ivan Petrov", "Lea Moreau", "Omar Farouk", "Julia Santos",
  "Noah Becker", "Amira Saleh", "Hugo Lambert", "Sofia Greco", "Ken Watanabe", "Priya Nair", "Max Vogel", "Eva Horvat",
  "Leo Novak", "Maya Cohen"];
const CH = ["whatsapp", "webchat", "email"];
const addr = (ch, i) => (ch === "email" ? `c${i}@example.org` : ch === "webchat" ? `web-${1000 + i}` : `+3161234${String(i).padStart(4, "0")}`);
const customer = (i) => { const ch = CH[i % 3]; return [ch, addr(ch, i), NAMES[i]]; };
inject(Array.from({ length: 30 }, (_, i) => [...customer(i), ROUTINE[i % ROUTINE.length]]));

// ---- the browser ----
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
const pageErrors = [];
// Notifications as the page raises them (headless Chromium shows none): recorded for the checks.
const recordNotes = () => {
  window.__notes = [];
  window.Notification = class {
    constructor(title, opts) { window.__notes.push({ title, body: (opts || {}).body }); }
    static get permission() { return "granted"; }
    static requestPermission() { return Promise.resolve("granted"); }
  };
};
const LAPTOP = { viewport: { width: 1366, height: 768 } };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
async function session(user, device) {
  const ctx = await browser.newContext(device);
  await ctx.addInitScript(recordNotes);
  const p = await ctx.newPage();
  p.on("pageerror", (e) => pageErrors.push(user + ": " + e.message));
  await p.goto(URL + "/");
  await p.waitForSelector("form#login");
  await p.fill("form#login input[name=name]", user);
  await p.fill("form#login input[name=password]", USERS[user][1]);
  await p.click("form#login button[type=submit]");
  await p.waitForSelector("#nav:not([hidden])");
  return p;
}
const shot = (name, p) => p.screenshot({ path: path.join(artifacts, "attention-" + name + ".png"), fullPage: false, caret: "initial" });
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
const api = (p, method, route, body) => p.evaluate(([m, r, b]) => SB.api(m, r, b), [method, route, body]);
const firstName = (p, list) => p.locator(list + " a.conv").first().locator(".contact").textContent();

const t0 = Date.now();
try {
  const boss = await session("boss", LAPTOP);
  const ana = await session("ana", LAPTOP);
  const anaPhone = await session("ana", PHONE);
  let mine = [];

  await step("setup: 30 conversations, six of the handed-off ones assigned to Ana", async () => {
    const queued = await api(boss, "GET", "/handoffs");
    check(queued.length >= 10, "only " + queued.length + " handoffs from the routine messages");
    mine = queued.slice(0, 6);
    for (const c of mine) await api(boss, "POST", "/conversations/" + c.id + "/assign", { agent: "ana" });
  });

  await step("an emergency after ten routine messages is first in every list Ana sees", async () => {
    inject(Array.from({ length: 10 }, (_, i) => [...customer(30 + i), ROUTINE[(i * 5 + 1) % ROUTINE.length]]));
    inject([["whatsapp", "+966501234567", "فريدة الحسن", "EMERGENCY gas leak in the basement, please hurry"],
      ["webchat", "web-9999", "Greg Hall", "There's a fire in the kitchen of the shop!"]]);
    const all = await api(boss, "GET", "/conversations");
    const gas = all.find((c) => c.contact === "+966501234567"), fire = all.find((c) => c.contact === "web-9999");
    check(gas && gas.urgent && fire && fire.urgent, "the emergencies are not marked urgent");
    check(all.filter((c) => c.urgent).length === 2, "urgent shown for a rule that is not urgent");
    await api(boss, "POST", "/conversations/" + fire.id + "/assign", { agent: "ana" });
    for (const [p, name] of [[ana, "laptop"], [anaPhone, "phone"]]) {
      await p.goto(URL + "/#/queue");
      let seen = "";
      await until("both lists", async () => {
        const m = await p.locator("#mine a.conv").count(), q = await p.locator("#queue a.conv").count();
        seen = m + " assigned, " + q + " queued";
        return m === 7 && q >= 5;
      }).catch((e) => { throw new Error(e.message + " (" + seen + ")"); });
      check((await firstName(p, "#mine")).includes("Greg Hall"), "the fire is not first in Assigned to you (" + name + ")");
      check((await firstName(p, "#queue")).includes("فريدة"), "the gas leak is not first in the queue (" + name + ")");
      check(await p.locator("#queue a.conv").first().locator(".urgent").count() === 1, "no URGENT mark");
      await shot("queue-" + name, p);
      await p.goto(URL + "/#/inbox");
      await p.waitForSelector("#inbox a.conv");
      const top = [await p.locator("#inbox a.conv").nth(0).locator(".contact").textContent(),
        await p.locator("#inbox a.conv").nth(1).locator(".contact").textContent()].join(" ");
      check(top.includes("Greg Hall") && top.includes("فريدة"), "the emergencies are not first in the inbox (" + name + "): " + top);
      await shot("inbox-" + name, p);
    }
    // The alerts Ana's open page raised: the urgent handoff, with the customer's words.
    const alerts = await ana.evaluate(() => SB.alerts);
    const gasAlert = alerts.find((a) => a.body.includes("gas leak"));
    check(gasAlert && gasAlert.title.startsWith("URGENT handoff"), "no urgent alert with the customer's words: " + JSON.stringify(alerts.slice(-3)));
    const routine = alerts.find((a) => a.body === "I want to talk to someone" || a.body.includes("refund"));
    check(routine && routine.title.startsWith("Handoff:"), "a routine handoff is announced as urgent: " + JSON.stringify(routine));
  });

  await step("the sort switch: newest first, then priority first again", async () => {
    await ana.goto(URL + "/#/queue");
    await ana.waitForSelector("#queue a.conv");
    await ana.selectOption("#sort", "recent");
    const handoffs = await api(ana, "GET", "/handoffs");
    const newest = handoffs.slice().sort((a, b) => b.last_at_ms - a.last_at_ms)[0];
    await until("the newest on top", async () => (await ana.locator("#queue a.conv").first().getAttribute("data-id")) === String(newest.id));
    await shot("queue-newest-first-laptop", ana);
    await ana.selectOption("#sort", "priority");
    await until("priority first again", async () => (await firstName(ana, "#queue")).includes("فريدة"));
  });

  await step("a second message in Ana's conversation: unread count and an alert with the customer's text", async () => {
    await ana.goto(URL + "/#/queue");
    await ana.waitForSelector("#mine a.conv");
    const target = mine[0];
    const text = "Any news? It has been a week since I asked";
    const before = (await api(ana, "GET", "/conversations/" + target.id)).unread;
    inject([[target.channel, target.contact, target.contact_name, text]]);
    const row = ana.locator(`#mine a.conv[data-id="${target.id}"]`);
    const want = String(before + 1);
    await until("the unread count", async () => (await row.locator(".unread").textContent()) === want);
    check((await api(ana, "GET", "/conversations/" + target.id)).unread === before + 1, "the server's count differs");
    check((await ana.textContent("#ucount")) !== "", "no unread total in the nav");
    const notes = await ana.evaluate(() => window.__notes);
    const note = notes.find((x) => x.body === text);
    check(note && note.title === "New message from " + target.contact_name, "no notification with the text: " + JSON.stringify(notes.slice(-2)));
    await shot("unread-laptop", ana);
    await anaPhone.goto(URL + "/#/queue");
    await anaPhone.waitForSelector("#mine a.conv");
    // Counted on the server: Ana's phone shows the same count without having seen the stream.
    check((await anaPhone.locator(`#mine a.conv[data-id="${target.id}"] .unread`).textContent()) === want, "the phone's count differs");
    await shot("unread-phone", anaPhone);
    const total = Number(await ana.textContent("#ucount"));
    await row.click();
    await ana.waitForSelector("#conv");
    await until("read once opened", async () => Number(await ana.textContent("#ucount") || 0) === total - Number(want));
    check(await ana.evaluate((id) => !SB.unread[id], target.id), "still unread after opening it");
    await until("read on the server", async () => (await api(ana, "GET", "/conversations/" + target.id)).unread === 0);
    await anaPhone.goto(URL + "/#/inbox");
    await anaPhone.goto(URL + "/#/queue");
    await anaPhone.waitForSelector(`#mine a.conv[data-id="${target.id}"]`);
    check((await anaPhone.locator(`#mine a.conv[data-id="${target.id}"] .unread`).textContent()) === "", "still unread on the phone");
  });

  await step("reopen gives the conversation back to Ana and the bot stays silent", async () => {
    const c = mine[1];
    await ana.goto(URL + "/#/c/" + c.id);
    await ana.click("button[data-act=close]");
    await until("closed", async () => (await ana.getAttribute("#conv", "data-status")) === "closed");
    await ana.click("button[data-act=reopen]");
    await until("assigned again", async () => (await ana.getAttribute("#conv", "data-status")) === "assigned");
    const before = (await api(ana, "GET", "/conversations/" + c.id)).messages;
    check((await api(ana, "GET", "/conversations/" + c.id)).assignee === "ana", "not back with Ana");
    inject([[c.channel, c.contact, c.contact_name, "asdf qwer hello??"]]);
    await until("the new message", async () => (await api(ana, "GET", "/conversations/" + c.id)).messages.length > before.length);
    await sleep(500);
    const after = (await api(ana, "GET", "/conversations/" + c.id)).messages;
    check(after.filter((m) => m.author === "bot").length === before.filter((m) => m.author === "bot").length, "the bot answered after reopen");
    await shot("reopened-laptop", ana);
  });

  await step("phone: compact sticky header, reply box on the first screen, toast clear of Send", async () => {
    const c = mine[2];
    await anaPhone.goto(URL + "/#/c/" + c.id);
    await anaPhone.waitForSelector("form.reply textarea");
    const header = await anaPhone.locator("header").boundingBox();
    check(header.height <= 100, "the header is " + header.height + " px high");
    const box = await anaPhone.locator("form.reply textarea").boundingBox();
    check(box.y + box.height <= 844, "the reply box ends at " + (box.y + box.height) + " px");
    const overflow = await anaPhone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, "the page scrolls sideways by " + overflow + " px");
    await shot("conversation-phone", anaPhone);
    await anaPhone.fill("form.reply textarea", "Hello, Ana here: I'm looking at it now.");
    await anaPhone.click("form.reply button[type=submit]");
    await anaPhone.waitForSelector("#toast.good:not([hidden])");
    const t = await anaPhone.locator("#toast").boundingBox(), s = await anaPhone.locator("form.reply button[type=submit]").boundingBox();
    check(t.y + t.height <= s.y || s.y + s.height <= t.y, "the toast covers Send reply");
    await shot("conversation-phone-sent", anaPhone);
    await anaPhone.evaluate(() => window.scrollTo(0, 10000));
    check((await anaPhone.locator("header").boundingBox()).y === 0, "the header does not stay on screen");
    await anaPhone.goto(URL + "/#/queue");
    await anaPhone.waitForSelector("#mine a.conv");
    const first = await anaPhone.locator("#mine a.conv").first().boundingBox();
    check(first.y < 844 / 2, "the queue starts at " + first.y + " px");
  });

  await step("two people in one conversation: Boss sees Ana viewing and typing, and is asked before replying", async () => {
    const c = mine[3];
    await ana.goto(URL + "/#/c/" + c.id);
    await ana.waitForSelector("form.reply textarea");
    await boss.goto(URL + "/#/c/" + c.id);
    await boss.waitForSelector("#conv");
    await ana.goto(URL + "/#/queue");  // back and forth: the view says "viewing" when it opens
    await ana.goto(URL + "/#/c/" + c.id);
    await ana.waitForSelector("form.reply textarea");
    // Within one re-announcement (every 10 s): Boss's live stream may connect just after
    // Ana's first "viewing" went out.
    await boss.waitForSelector("#activity >> text=ana is viewing", { timeout: 15000 });
    await ana.locator("form.reply textarea").pressSequentially("Let me check that for y");
    await boss.waitForSelector("#activity >> text=ana is typing", { timeout: 15000 });
    await boss.fill("form.reply textarea", "I'll take this one, thanks Ana.");
    await boss.click("form.reply button[type=submit]");
    await boss.waitForSelector("#collide:not([hidden])");
    check(/ana holds this conversation/.test(await boss.textContent("#collide")), "the question does not name the holder");
    check((await api(boss, "GET", "/conversations/" + c.id)).messages.every((m) => m.text !== "I'll take this one, thanks Ana."), "sent without asking");
    await shot("collision-laptop", boss);
    await boss.click("form.reply button[type=submit]");
    await boss.waitForSelector(".msg.m-agent >> text=I'll take this one");
  });

  await step("after a restart Ana is still logged in, with no stale banner", async () => {
    service.kill("SIGTERM");
    await until("the service stopped", async () => service.exitCode !== null);
    service = start(bin, ["run", "--config", cfg], "service2.log");
    await until("/healthz again", async () => (await fetch(URL + "/healthz")).ok);
    await until("the broker again", async () => (await (await fetch(URL + "/healthz")).json()).status === "ok");
    await until("the live stream back", async () => await ana.locator("#live").isHidden(), 15000);
    await anaPhone.reload();
    await anaPhone.waitForSelector("#nav:not([hidden])");
    check(await anaPhone.locator("form#login").count() === 0, "the login form after a restart");
    const me = await api(anaPhone, "GET", "/me");
    check(me.name === "ana", "not ana after a restart");
    await anaPhone.goto(URL + "/#/queue");
    await anaPhone.waitForSelector("#mine a.conv");
    await shot("after-restart-phone", anaPhone);
  });

  await step("users: the admin disables Ben from the page; his open page is logged out", async () => {
    const ben = await session("ben", LAPTOP);
    await boss.goto(URL + "/#/users");
    await boss.waitForSelector("#users");
    await boss.click('#users tr[data-user="ben"] button[data-act=disable]');
    await boss.waitForSelector('#users tr[data-user="ben"].off');
    await shot("users-laptop", boss);
    await ben.evaluate(() => SB.api("GET", "/me").catch(() => {}));
    await ben.waitForSelector("form#login");
    await ben.context().close();
  });

  await step("one tap marks a handoff not needed (phone); the statistics count it against its rule", async () => {
    const c = mine[4];
    await anaPhone.goto(URL + "/#/c/" + c.id);
    await anaPhone.waitForSelector("#review[aria-pressed=false]");
    await anaPhone.click("#review");
    await anaPhone.waitForSelector("#review[aria-pressed=true]");
    const h = (await api(ana, "GET", "/conversations/" + c.id)).handoff;
    check(h.not_needed === true && h.reviewed_by === "ana", "not marked: " + JSON.stringify(h));
    await shot("review-phone", anaPhone);
    await boss.goto(URL + "/#/stats");
    await boss.waitForSelector("table");
    const row = await boss.evaluate((rule) => [...document.querySelectorAll("tr")]
      .map((tr) => [...tr.children].map((td) => td.textContent)).find((r) => r[0] === rule), h.rule);
    check(row && Number(row[3]) >= 1, "the stats' rule row: " + JSON.stringify(row));
    await boss.locator("h3", { hasText: "By rule" }).scrollIntoViewIfNeeded();
    await shot("stats-by-rule-laptop", boss);
  });

  await step("statistics as pictures, readable rules and diagnostics (1366x768 and 390x844)", async () => {
    const bossPhone = await browser.newContext({ ...PHONE, storageState: await boss.context().storageState() });
    const bp = await bossPhone.newPage();
    for (const p of [boss, bp]) {
      const wide = p === boss ? "laptop" : "phone";
      await p.goto(URL + "/#/stats");
      await p.waitForSelector('figure[data-chart=by_trigger] svg rect');
      check(await p.locator('figure[data-chart=by_channel] .key[data-key=whatsapp]').count() === 1, "no whatsapp in the channel chart");
      await p.selectOption("#range", "30");
      await until("30 days drawn", async () => (await p.locator('figure[data-chart=by_trigger] svg text').count()) >= 10);
      await shot("stats-" + wide, p);
      await p.goto(URL + "/#/rules");
      await p.waitForSelector("details.pats");
      await shot("rules-" + wide, p);
      await p.goto(URL + "/#/diag");
      await p.waitForSelector("#diag dl");
      check(!/acked_seq/.test(await p.textContent("#diag")), "diagnostics show raw keys");
      await shot("diagnostics-" + wide, p);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, "diagnostics scroll sideways by " + overflow + " px (" + wide + ")");
    }
    await bossPhone.close();
  });

  await step("broker stopped: health red within 5 s, the banner for agents, /healthz degraded", async () => {
    await boss.goto(URL + "/#/diag");
    await boss.waitForSelector('#health [data-part=broker].l-green');
    await shot("health-green-laptop", boss);
    mosquitto.kill("SIGTERM");
    const t = Date.now();
    await boss.waitForSelector('#health [data-part=broker].l-red', { timeout: 5000 });
    await ana.waitForSelector("#outage:not([hidden])", { timeout: 5000 });
    console.log(`     health red after ${Date.now() - t} ms`);
    check(/Replies cannot leave/.test(await ana.textContent("#outage")), "the banner does not say replies cannot leave");
    const h = await (await fetch(URL + "/healthz")).json();
    check(h.status === "degraded" && h.reasons.some((r) => r.startsWith("broker")), "healthz: " + JSON.stringify(h.reasons));
    await shot("health-red-laptop", boss);
    await ana.goto(URL + "/#/queue");
    await anaPhone.waitForSelector("#outage:not([hidden])", { timeout: 5000 });
    await shot("outage-laptop", ana);
    await shot("outage-phone", anaPhone);
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
console.log(`${results.length - failed}/${results.length} attention steps passed in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
if (failed) process.exitCode = 1;
