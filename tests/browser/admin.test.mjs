// Browser tests of the admin page in Debian's headless Chromium (playwright-core), against the
// real binary with a real broker: inbound messages arrive over MQTT as a bridge sends them.
// Env: SWITCHBOARD (the binary), ARTIFACTS (screenshots), REPO (for the .proto).
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const repo = process.env.REPO;
const bin = process.env.SWITCHBOARD;
const artifacts = process.env.ARTIFACTS;
const GW = "gw-browser";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sb-browser-"));
const children = [];
const results = [];

const freePort = () => new Promise((ok, bad) => {
  const s = net.createServer().once("error", bad).listen(0, "127.0.0.1", () => {
    const { port } = s.address();
    s.close(() => ok(port));
  });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function start(cmd, args, logName) {
  const log = fs.openSync(path.join(tmp, logName), "w");
  const p = spawn(cmd, args, { stdio: ["ignore", log, log] });
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

// ---- the broker, the service, the bridge ----
const mqPort = await freePort();
const httpPort = await freePort();
fs.writeFileSync(path.join(tmp, "mosquitto.conf"),
  `listener ${mqPort} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\npersistence false\n`);
start("mosquitto", ["-c", path.join(tmp, "mosquitto.conf")], "mosquitto.log");
await until("mosquitto", () => new Promise((ok) => {
  const s = net.connect(mqPort, "127.0.0.1", () => { s.end(); ok(true); }).on("error", () => ok(false));
}));
fs.writeFileSync(path.join(tmp, "config.toml"), `gateway_id = "${GW}"
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
routing = "round_robin"
targets = [{ min_priority = 0, minutes = 1 }]
[[departments]]
id = "billing"
name = "Billing"
[[agents]]
id = "ana"
name = "Ana"
department = "support"
`);
// The agent of the workflow steps: a user named as the [[agents]] entry, made before the service
// starts (it applies the config's department on start; a user made while it runs gets an agents
// record without a department until the next config load).
const AGENT = { name: "ana", password: "agent-password-1" };
execFileSync(bin, ["user", "add", AGENT.name, "--role", "agent", "--config", path.join(tmp, "config.toml")],
  { input: AGENT.password + "\n", stdio: ["pipe", "ignore", "pipe"] });
const service = start(bin, ["run", "--config", path.join(tmp, "config.toml")], "service.log");
const URL = `http://127.0.0.1:${httpPort}`;
const token = await until("the setup token on stderr", () => {
  const m = /token\s+([0-9a-f]{16,})/.exec(fs.readFileSync(path.join(tmp, "service.log"), "utf8"));
  return m && m[1];
});
await until("/healthz", async () => (await fetch(URL + "/healthz")).ok);
const pydir = path.join(tmp, "py");
fs.mkdirSync(pydir);
execFileSync("protoc", ["-I", path.join(repo, "services/proto"), "--python_out=" + pydir,
  path.join(repo, "services/proto/switchboard.proto")]);
// The bridge's outbound side: records every payload on switchboard/<gw>/out/# and answers
// each with a DeliveryStatus SENT.
const outLog = path.join(tmp, "out.log");
fs.writeFileSync(outLog, "");
const bridge = spawn("/usr/bin/python3", [path.join(repo, "tests/browser/bridge_out.py"), String(mqPort), GW, pydir, outLog],
  { stdio: ["ignore", "pipe", fs.openSync(path.join(tmp, "bridge_out.log"), "w")] });
children.push(bridge);
let bridgeOut = "";
bridge.stdout.on("data", (d) => (bridgeOut += d));
await until("the outbound bridge subscribed", () => bridgeOut.includes("ready"));
// True when some payload published on out/# holds `text` (as the UTF-8 bytes protobuf carries).
function outHas(text) {
  const needle = Buffer.from(text, "utf8");
  return fs.readFileSync(outLog, "utf8").split("\n").filter(Boolean)
    .some((line) => Buffer.from(line.split("\t")[1] || "", "hex").includes(needle));
}
let n = 0;
function inject(channel, sender, name, text) {
  execFileSync("/usr/bin/python3", [path.join(repo, "tests/browser/inject.py"), String(mqPort), GW, pydir,
    channel, `bt-${process.pid}-${++n}`, sender, name, text], { stdio: "inherit" });
}

// ---- the browser ----
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run"],
});
const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
await ctx.grantPermissions(["notifications"], { origin: URL });
const page = await ctx.newPage();
const dialogs = [], pageErrors = [], cspErrors = [];
let navigations = 0;
function watch(p) {
  p.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  p.on("pageerror", (e) => pageErrors.push(e.message));
  p.on("console", (m) => { if (/Content Security Policy|Refused to/.test(m.text())) cspErrors.push(m.text().slice(0, 160)); });
}
watch(page);
page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigations++; });
// caret "initial": Playwright's caret hiding injects an inline style, which the CSP rightly blocks.
const shot = (name, p = page) =>
  p.screenshot({ path: path.join(artifacts, name + ".png"), fullPage: true, caret: "initial" });
const ADMIN = { name: "boss", password: "correct-horse-1" };
const XSS = "<img src=x onerror=alert(1)>";

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false, error: e.message });
    console.log(`FAIL ${name}: ${e.message}`);
    await shot("failure-" + name.replace(/\W+/g, "-")).catch(() => {});
    throw e;
  }
}

try {
  await step("first-run setup creates the admin via the page", async () => {
    await page.goto(URL + "/");
    await page.waitForSelector("form#setup");
    await shot("01-setup");
    await page.fill("form#setup input[name=token]", token);
    await page.fill("form#setup input[name=name]", ADMIN.name);
    await page.fill("form#setup input[name=password]", ADMIN.password);
    await page.click("form#setup button[type=submit]");
    await page.waitForSelector("#nav:not([hidden])");
    check((await page.textContent("#who")).includes("boss"), "not logged in after setup");
  });

  await step("log out and log in", async () => {
    await page.click("#logout");
    await page.waitForSelector("form#login");
    await page.fill("form#login input[name=name]", ADMIN.name);
    await page.fill("form#login input[name=password]", "wrong-password");
    await page.click("form#login button[type=submit]");
    await page.waitForSelector("#toast:not([hidden])");
    check(/wrong user name or password/.test(await page.textContent("#toast")), "no clear login error");
    await page.fill("form#login input[name=password]", ADMIN.password);
    await page.click("form#login button[type=submit]");
    await page.waitForSelector("#nav:not([hidden])");
    await page.waitForSelector("#queue");
    await page.click("#alerts");  // sound + notifications, as an agent would
    await shot("02-queue-empty");
  });

  await step("an inbound 'refund' appears in the handoff queue live, without reload", async () => {
    const before = navigations;
    const started = Date.now();
    inject("whatsapp", "+4915100001", "Rita Refund", "I want a refund");
    await page.waitForSelector("#queue a.conv", { timeout: 10000 });
    console.log(`     (queued conversation on screen ${Date.now() - started} ms after publishing)`);
    const row = page.locator("#queue a.conv").first();
    check((await row.locator(".last").textContent()) === "I want a refund", "queue row lacks the text");
    check((await row.textContent()).includes("Rita Refund"), "queue row lacks the contact");
    check(/keyword 'refund'/.test(await row.locator(".reason").textContent()), "queue row lacks the reason");
    check(navigations === before, "the page navigated/reloaded");
    const w1 = await row.locator(".wait").textContent();
    await sleep(2200);
    const w2 = await row.locator(".wait").textContent();
    check(w1 !== w2, `the wait does not grow (${w1} -> ${w2})`);
    check(/^\(1\) /.test(await page.title()), "no count in the tab title: " + (await page.title()));
    check(await page.evaluate(() => SB.alerts.length) >= 1, "no handoff alert raised");
    check((await page.textContent("#qcount")) === "1", "no queue badge");
    await shot("03-queue-live");
  });

  await step("reply, assign, tag, untag, close", async () => {
    await page.click("#queue a.conv");
    await page.waitForSelector("#conv");
    check(/keyword 'refund'/.test(await page.textContent("#conv .reason")), "no handoff reason");
    await page.fill("form.reply textarea", "Sorry to hear that, a refund is on its way.");
    await page.click("form.reply button[type=submit]");
    await page.waitForSelector(".msg.m-agent >> text=a refund is on its way");
    await until("status assigned", async () => (await page.getAttribute("#conv", "data-status")) === "assigned");
    await page.selectOption("form.assign select[name=department]", "billing");
    await page.click("form.assign button[type=submit]");
    await page.waitForSelector("#conv .dep >> text=department: billing");
    await page.click("button.chip >> text=+ VIP");
    await page.waitForSelector("#tags .tag >> text=VIP");
    await page.fill("form.tagform input[name=tag]", "Hot Lead");
    await page.click("form.tagform button[type=submit]");
    await page.waitForSelector("#tags .tag >> text=Hot Lead");
    await page.click("#tags button[aria-label='remove tag VIP']");
    await until("VIP removed", async () => !(await page.textContent("#tags")).includes("VIP"));
    await shot("04-conversation");
    await page.click("button[data-act=close]");
    await until("status closed", async () => (await page.getAttribute("#conv", "data-status")) === "closed");
    const kinds = await page.$$eval("#history .msg", (ms) => ms.map((m) => m.className));
    for (const k of ["m-contact", "m-agent", "m-system"])
      check(kinds.some((c) => c.includes(k)), "history lacks a " + k + " message");
    await shot("05-closed");
  });

  await step("a message '<img src=x onerror=alert(1)>' shows as text and runs nothing", async () => {
    await page.goto(URL + "/#/inbox");
    await page.waitForSelector("#inbox");
    inject("whatsapp", "+4915100002", "<b>Mallory</b>", XSS);
    await page.waitForSelector(`#inbox .last >> text=${XSS}`);
    await page.click(`#inbox a.conv:has(.last:text-is("${XSS}"))`);
    await page.waitForSelector("#history .m-contact");
    const text = await page.textContent("#history .m-contact .text");
    check(text === XSS, "message text changed: " + text);
    check((await page.textContent("#conv h2")).includes("<b>Mallory</b>"), "contact name not literal");
    check(await page.locator("#app img, #app b:text('Mallory')").count() === 0, "markup from a message was rendered");
    await sleep(1000);
    check(dialogs.length === 0, "a dialog fired: " + dialogs.join(", "));
    await shot("06-xss-literal");
  });

  await step("rules with a test box, stats, diagnostics, users", async () => {
    await page.goto(URL + "/#/rules");
    await page.fill("form.ruletest input[name=text]", "I need a REFUND please");
    await page.click("form.ruletest button[type=submit]");
    await page.waitForSelector("#verdict .yes");
    check((await page.textContent("#verdict mark")) === "REFUND", "the match is not marked");
    await shot("07-rules");
    await page.goto(URL + "/#/stats");
    await page.waitForSelector("#stats");
    check(/handoff rate/.test(await page.textContent("#stats")), "no handoff rate");
    await shot("08-stats");
    await page.goto(URL + "/#/diag");
    await page.waitForSelector("#diag dl");
    check(/version/.test(await page.textContent("#diag")), "no version in diagnostics");
    await shot("09-diagnostics");
    await page.goto(URL + "/#/users");
    await page.fill("form.adduser input[name=name]", "tech1");
    await page.selectOption("form.adduser select[name=role]", "technician");
    await page.fill("form.adduser input[name=password]", "tech-password-1");
    await page.click("form.adduser button[type=submit]");
    await page.waitForSelector("td >> text=tech1");
    await shot("10-users");
  });

  await step("a technician sees conversations read-only", async () => {
    const tctx = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const tp = await tctx.newPage();
    watch(tp);
    await tp.goto(URL + "/");
    await tp.fill("form#login input[name=name]", "tech1");
    await tp.fill("form#login input[name=password]", "tech-password-1");
    await tp.click("form#login button[type=submit]");
    await tp.waitForSelector("#nav:not([hidden])");
    check(await tp.locator("#nav a[data-view=users]").isHidden(), "users shown to a technician");
    await tp.goto(URL + "/#/inbox");
    await tp.click("#inbox a.conv");
    await tp.waitForSelector("#conv");
    check(await tp.locator("form.reply").count() === 0, "reply box shown to a technician");
    await tctx.close();
  });

  await step("the page at a phone's width (390 px)", async () => {
    const mctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
      isMobile: true, hasTouch: true, storageState: await ctx.storageState() });
    const mp = await mctx.newPage();
    watch(mp);
    inject("telegram", "+4915100003", "Urs Urgent", "EMERGENCY my account was hacked, I need a human");
    for (const [view, sel] of [["queue", "#queue"], ["inbox", "#inbox"], ["stats", "#stats"], ["rules", "form.ruletest"]]) {
      await mp.goto(URL + "/#/" + view);
      await mp.waitForSelector(sel);
      const overflow = await mp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, `${view} scrolls sideways by ${overflow}px at 390px`);
      await shot("11-phone-" + view, mp);
    }
    await mp.goto(URL + "/#/queue");
    await mp.click("#queue a.conv");
    await mp.waitForSelector("#conv");
    const overflow = await mp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `the conversation scrolls sideways by ${overflow}px at 390px`);
    const box = await mp.locator("form.reply textarea").boundingBox();
    check(box && box.width > 250 && box.x + box.width <= 390, "reply box does not fit the phone");
    await shot("12-phone-conversation", mp);
    await mctx.close();
  });

  // ---- the agent's workflow ----
  const CANNED = "Hi {name}, your refund is on its way: allow 3 to 5 working days.";
  const CANNED_OUT = "Hi Carl Canned, your refund is on its way: allow 3 to 5 working days.";
  const NOTE = `Private: Carl sounds upset, check order 4711 first (${process.pid})`;
  let actx, ap, convId;
  let agentNavs = 0;

  await step("the admin writes canned replies in the page (add, edit, delete)", async () => {
    await page.goto(URL + "/#/canned");
    await page.waitForSelector("#canned");
    for (const [sc, text] of [["/refund", "Hi {name}, your refund is on its way."], ["/bye", "Bye {name}!"]]) {
      await page.fill("form.cannededit input[name=shortcut]", sc);
      await page.fill("form.cannededit textarea[name=text]", text);
      await page.click("form.cannededit button[type=submit]");
      await page.waitForSelector(`#canned tr[data-shortcut="${sc}"]`);
    }
    // Edit one (the form takes its text), delete the other (two clicks, no dialog).
    await page.click('#canned tr[data-shortcut="/refund"] button:text-is("Edit")');
    check(await page.inputValue("form.cannededit input[name=shortcut]") === "/refund", "edit does not fill the form");
    await page.fill("form.cannededit textarea[name=text]", CANNED);
    await page.click("form.cannededit button[type=submit]");
    await until("the edited text", async () =>
      (await page.textContent('#canned tr[data-shortcut="/refund"] td.pre')) === CANNED);
    await page.click('#canned button[data-del="/bye"]');
    await page.click('#canned button[data-del="/bye"]:text-is("Confirm delete")');
    await until("/bye deleted", async () => (await page.locator('#canned tr[data-shortcut="/bye"]').count()) === 0);
    // Admins can be assigned conversations too (an agents record each): they have presence.
    check(await page.inputValue("#presence") === "offline", "the admin's presence is not offline");
    await shot("13-canned-editor");
  });

  await step("an agent goes online in the page and a 'refund' is routed to them live", async () => {
    actx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    ap = await actx.newPage();
    watch(ap);
    ap.on("framenavigated", (f) => { if (f === ap.mainFrame()) agentNavs++; });
    await ap.goto(URL + "/");
    await ap.fill("form#login input[name=name]", AGENT.name);
    await ap.fill("form#login input[name=password]", AGENT.password);
    await ap.click("form#login button[type=submit]");
    await ap.waitForSelector("#nav:not([hidden])");
    await ap.waitForSelector("#presence-box:not([hidden])");
    check(await ap.inputValue("#presence") === "offline", "an agent who never came online is not offline");
    check(await ap.locator("#nav a[data-view=canned]").isHidden(), "the canned editor shown to an agent");
    await ap.waitForSelector("#queue");
    await ap.selectOption("#presence", "online");
    await ap.waitForSelector("#presence[data-p=online]");
    const team = await ap.evaluate(() => SB.api("GET", "/presence"));
    check(team.find((a) => a.id === "ana").presence === "online", "the server does not have ana online");
    await ap.waitForSelector("#team .agent.p-online[data-agent=ana]");
    // The page keeps the server hearing from it (heartbeat), and says so in the result.
    const beat = await ap.evaluate(() => SB.api("POST", "/presence/heartbeat"));
    check(beat.presence === "online", "heartbeat: " + JSON.stringify(beat));
    const before = agentNavs;
    const started = Date.now();
    inject("whatsapp", "+4915100004", "Carl Canned", "Hello, I want a refund for order 4711");
    const row = ap.locator('#mine a.conv:has-text("Carl Canned")');
    await row.waitFor({ timeout: 10000 });
    console.log(`     (assigned conversation on the agent's screen ${Date.now() - started} ms after publishing)`);
    check(await row.getAttribute("data-status") === "assigned", "not shown assigned");
    check((await row.locator(".asg").textContent()) === "→ ana", "not shown assigned to ana");
    check(agentNavs === before, "the agent's page navigated/reloaded");
    convId = await row.getAttribute("data-id");
    await shot("14-agent-assigned-live", ap);
    await row.click();
    await ap.waitForSelector("#conv");
    // The routing reasons are lines of the history.
    await ap.waitForSelector("#history .m-route >> text=assigned to Ana by round robin");
    check(/queued: keyword 'refund'/.test(await ap.textContent("#history")), "no 'queued:' reason in the history");
    check(/agent: ana/.test(await ap.textContent("#conv .asg")), "head does not name the agent");
  });

  await step("the agent inserts a canned reply by its shortcut and sends it; it is shown sent", async () => {
    const box = ap.locator("form.reply textarea");
    await box.click();
    await box.pressSequentially("/ref");
    await ap.waitForSelector('#canned-suggest .sugg[data-shortcut="/refund"]');
    check((await ap.textContent('#canned-suggest .sugg[data-shortcut="/refund"]')).includes(CANNED_OUT),
      "the suggestion lacks the contact's name");
    await shot("15-canned-suggest", ap);
    await box.press("Tab");
    await until("the canned text in the reply box", async () => (await box.inputValue()) === CANNED_OUT);
    check(await ap.locator("#canned-suggest").isHidden(), "suggestions stay open after inserting");
    await ap.click("form.reply button[type=submit]");
    const sent = ap.locator("#history .msg.m-agent", { hasText: CANNED_OUT });
    await sent.waitFor();
    await until("the reply shown sent", async () => /^(sent|delivered)$/.test(await sent.getAttribute("data-status")));
    check(/· (sent|delivered)/.test(await sent.locator(".by").textContent()), "the status is not on the message");
    check((await box.inputValue()) === "", "the reply box was not cleared");
    await until("the canned reply on out/whatsapp", () => outHas(CANNED_OUT));
  });

  await step("a private note shows as private and never leaves the gateway", async () => {
    await ap.fill("form.noteform textarea", NOTE);
    await ap.click("form.noteform button[type=submit]");
    const note = ap.locator("#history .msg.m-note", { hasText: NOTE });
    await note.waitFor();
    check(/private — never sent/.test(await note.locator(".by").textContent()), "the note is not labelled private");
    check(await ap.locator("#history .m-agent", { hasText: NOTE }).count() === 0, "the note looks like a reply");
    const c = await ap.evaluate((id) => SB.api("GET", "/conversations/" + id), convId);
    const m = c.messages.find((x) => x.text === NOTE);
    check(m && m.note === true && m.direction !== "out" && !m.status, "the API has the note as " + JSON.stringify(m));
    // A reply after the note: once it is on out/, anything queued before it went out too.
    const after = `Anything else I can do for you? (${process.pid})`;
    await ap.fill("form.reply textarea", after);
    await ap.click("form.reply button[type=submit]");
    await until("the later reply on out/", () => outHas(after));
    check(outHas(CANNED_OUT), "the canned reply is not on out/ (the check could not see a leak)");
    check(!outHas(NOTE) && !outHas("Carl sounds upset"), "the private note was published on out/");
    await shot("16-agent-note", ap);
  });

  await step("search, the contact's profile (VIP, notes) and a merge", async () => {
    inject("telegram", "+4915100005", "Carl on Telegram", "hi there");
    await ap.fill("#q", "telegram");
    await ap.press("#q", "Enter");
    await ap.waitForSelector('#found-contacts a.conv:has-text("Carl on Telegram")');
    await ap.fill("#q", "refund order");
    await ap.press("#q", "Enter");
    const hit = ap.locator(`#found-messages a.conv[href="#/c/${convId}"]`).first();
    await hit.waitFor();
    check(/refund for order 4711/.test(await hit.textContent()), "no snippet");
    await shot("17-search", ap);
    await hit.click();
    await ap.waitForSelector("#contact");
    await ap.click("#contact summary");
    await ap.click("#ctags button[data-vip=on]");
    await ap.waitForSelector("#ctags .tag.vip");
    await ap.fill("form.contactedit textarea[name=notes]", "Prefers WhatsApp <b>not bold</b>");
    await ap.click("form.contactedit button[type=submit]");
    await until("the contact's notes saved", async () =>
      (await ap.textContent("#contact dd.pre")) === "Prefers WhatsApp <b>not bold</b>");
    await ap.fill("form.merge input[name=other]", "Telegram");
    await ap.click("form.merge button[type=submit]");
    const merge = ap.locator("#merge-found button[data-merge]").first();
    await merge.click();
    await ap.waitForSelector("#merge-found button:text('Confirm')");
    await merge.click();
    await until("two addresses after the merge", async () => (await ap.locator("#contact .addr").count()) === 2);
    check(/telegram: \+4915100005/.test(await ap.textContent("#contact .addrs")), "the telegram address is not merged");
    check(await ap.locator("#contact[open]").count() === 1, "the card closed after saving");
    await shot("18-contact-merged", ap);
  });

  await step("the agent's and the editor's views at a phone's width (390 px)", async () => {
    const phone = async (state) => browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
      isMobile: true, hasTouch: true, storageState: state });
    const mctx = await phone(await actx.storageState());
    const mp = await mctx.newPage();
    watch(mp);
    for (const [hash, sel, name] of [["#/queue", "#mine", "queue"], ["#/c/" + convId, "#history .m-note", "conversation"],
      ["#/search/refund", "#found-messages", "search"], ["#/p/" + (await ap.getAttribute("#contact", "data-id")), "#contact[open]", "contact"]]) {
      await mp.goto(URL + "/" + hash);
      await mp.waitForSelector(sel);
      await mp.waitForSelector("#presence-box:not([hidden])");
      const overflow = await mp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, `${name} scrolls sideways by ${overflow}px at 390px`);
      await shot("19-phone-agent-" + name, mp);
    }
    await mctx.close();
    const actx2 = await phone(await ctx.storageState());
    const mp2 = await actx2.newPage();
    watch(mp2);
    await mp2.goto(URL + "/#/canned");
    await mp2.waitForSelector("#canned");
    const overflow = await mp2.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `the canned editor scrolls sideways by ${overflow}px at 390px`);
    await shot("19-phone-canned", mp2);
    await actx2.close();
  });

  await step("a conversation past its first-reply target is marked (support: 1 min)", async () => {
    // Urs's urgent conversation (the phone step) went to ana when she came online and has had
    // no human reply since.
    await ap.goto(URL + "/#/queue");
    const urs = ap.locator('#mine a.conv:has-text("Urs Urgent")');
    await urs.waitFor();
    await until("the over-target mark", async () =>
      /waiting \d+ min, over the 1 min target/.test(await urs.locator(".target").textContent()), 90000);
    check(await urs.evaluate((n) => n.classList.contains("late")), "the row is not marked late");
    await shot("20-over-target", ap);
    await urs.click();
    await ap.waitForSelector("#history .m-system >> text=/over the 1 min target/", { timeout: 30000 });
    check(await ap.locator("#conv .target.over").count() === 1, "the conversation head is not marked");
    await actx.close();
  });

  await step("no script errors, no CSP violations, no dialogs", async () => {
    check(pageErrors.length === 0, "page errors: " + pageErrors.join(" | "));
    check(cspErrors.length === 0, "CSP violations: " + cspErrors.join(" | "));
    check(dialogs.length === 0, "dialogs: " + dialogs.join(" | "));
  });
} catch (e) {
  process.exitCode = 1;
  console.log("--- service log (tail) ---\n" + fs.readFileSync(path.join(tmp, "service.log"), "utf8").slice(-3000));
} finally {
  await browser.close().catch(() => {});
  for (const p of children) p.kill("SIGTERM");
  await sleep(300);
  if (service.exitCode === null) service.kill("SIGKILL");
  if (!process.exitCode) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log("kept " + tmp + " for inspection");
}
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed}/${results.length} browser steps passed; screenshots in ${artifacts}`);
if (failed) process.exitCode = 1;
