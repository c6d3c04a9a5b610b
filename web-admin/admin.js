"use strict";
// Statistics, diagnostics, rules (with a test box) and users.
(function () {
  const { el } = SB;
  const pct = (r) => (100 * (r || 0)).toFixed(1) + "%";
  const ms = (v) => (v === null || v === undefined ? "—" : SB.duration(v / 1000));

  function table(head, rows) {
    return el("table", el("thead", el("tr", head.map((h) => el("th", h)))),
      el("tbody", rows.map((r) => el("tr", r.map((c) => el("td", c))))));
  }

  // Inline SVG drawn here (no library, no CDN): stacked bars per day, one colour per key.
  const NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...kids) {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
    for (const k of kids) n.append(k instanceof Node ? k : document.createTextNode(String(k)));
    return n;
  }
  const COLOURS = ["#2c5d8f", "#e6a100", "#b3261e", "#2e7d32", "#7b1fa2", "#00838f", "#6d4c41", "#9e9d24"];
  function bars(days, field, title) {
    const keys = [...new Set(days.flatMap((d) => Object.keys(d[field] || {})))].sort();
    const colour = (k) => COLOURS[keys.indexOf(k) % COLOURS.length];
    const W = 640, H = 170, top = 10, bottom = 22, bw = W / Math.max(1, days.length);
    const max = Math.max(1, ...days.map((d) => Object.values(d[field] || {}).reduce((a, b) => a + b, 0)));
    const g = svg("g");
    days.forEach((d, i) => {
      let y = H - bottom;
      for (const k of keys) {
        const v = (d[field] || {})[k] || 0;
        if (!v) continue;
        const h = ((H - top - bottom) * v) / max;
        y -= h;
        g.append(svg("rect", { x: i * bw + 1, y, width: Math.max(1, bw - 2), height: h, fill: colour(k) },
          svg("title", {}, new Date(d.day_start_ms).toISOString().slice(0, 10) + " " + k + ": " + v)));
      }
      if (days.length <= 16 || i % Math.ceil(days.length / 12) === 0)
        g.append(svg("text", { x: i ? i * bw + bw / 2 : 0, y: H - 6, "text-anchor": i ? "middle" : "start", "font-size": 10, fill: "#55606b" },
          new Date(d.day_start_ms).toISOString().slice(5, 10)));
    });
    g.append(svg("text", { x: 2, y: top + 2, "font-size": 10, fill: "#55606b" }, "max " + max));
    return el("figure.chart", { "data-chart": field },
      el("figcaption", title, " ", keys.map((k) => el("span.key", { "data-key": k }, el("i", { className: "sw c" + (keys.indexOf(k) % COLOURS.length) }), k))),
      svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title }, g));
  }
  function replyLine(days) {
    const W = 640, H = 120, pts = days.map((d, i) => [i, d.first_reply_median_ms]).filter(([, v]) => v !== null);
    const max = Math.max(1, ...pts.map(([, v]) => v));
    const x = (i) => (W * (i + 0.5)) / Math.max(1, days.length), y = (v) => H - 14 - ((H - 28) * v) / max;
    return el("figure.chart", { "data-chart": "first_reply" },
      el("figcaption", "Median time to the first human reply, per day (max " + ms(max) + ")"),
      svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "median time to first human reply per day" },
        pts.length > 1 ? svg("polyline", { points: pts.map(([i, v]) => x(i) + "," + y(v)).join(" "), fill: "none", stroke: "#2c5d8f", "stroke-width": 2 }) : svg("g"),
        ...pts.map(([i, v]) => svg("circle", { cx: x(i), cy: y(v), r: 3, fill: "#2c5d8f" }, svg("title", {}, ms(v))))));
  }
  SB.statsDays = SB.statsDays || 14;
  SB.views.stats = async function () {
    const s = await SB.api("GET", "/stats?days=" + SB.statsDays);
    SB.lastStats = s;
    const range = el("select#range", { name: "days", onchange: (ev) => { SB.statsDays = Number(ev.target.value); SB.views.stats(); } },
      SB.options([["7", "last 7 days"], ["14", "last 14 days"], ["30", "last 30 days"], ["90", "last 90 days"]], String(SB.statsDays)));
    SB.show(
      el("div.viewhead", el("h2", "Handoff statistics"), range),
      el("div.cards#stats",
        el("div.card", el("b", pct(s.rate)), "handoff rate"),
        el("div.card", el("b", s.handoffs + " / " + s.conversations), "handed off / conversations"),
        el("div.card", el("b", ms(s.first_reply.median_ms)), "median to first human reply"),
        el("div.card", el("b", ms(s.first_reply.p90_ms)), "p90 to first human reply"),
        el("div.card", el("b", String(s.first_reply.unanswered)), "handed off, no reply yet")),
      bars(s.by_day, "by_trigger", "Handoffs per day by trigger"),
      bars(s.by_day, "by_channel", "Handoffs per day by channel"),
      replyLine(s.by_day),
      el("h3", "By rule"),
      el("p.meta", "Handoffs agents marked “not needed”: a rule with a high share cries wolf."),
      table(["rule", "trigger", "handoffs", "not needed", "share"],
        Object.entries(s.by_rule || {})
          .sort(([, a], [, b]) => b.not_needed_share - a.not_needed_share || b.handoffs - a.handoffs)
          .map(([k, v]) => [k, v.trigger, v.handoffs, v.not_needed, pct(v.not_needed_share)])),
      el("h3", "By channel"),
      table(["channel", "conversations", "handoffs", "rate"],
        Object.entries(s.by_channel).map(([k, v]) => [k, v.conversations, v.handoffs, pct(v.rate)]))
    );
  };

  // Diagnostics: whatever the service reports, as nested key/value lists.
  // Words for the keys a technician reads most; the raw key stays in the title.
  const LABELS = { acked_seq: "events central has acknowledged (up to)", outbox_depth: "events waiting to go to central",
    map_bytes: "database map size", used_bytes: "database in use", disk_full: "disk full", uptime_s: "running for",
    connected: "connected", rssi: "signal (RSSI, 0-31)", dbm: "signal (dBm)", parts_waiting: "SMS parts waiting for the rest",
    recoveries: "modem recoveries", registration: "network registration", mqtt: "broker (MQTT)", modem: "SMS modem",
    storage: "storage", gateway_id: "gateway", uri: "address", ready: "ready", problem: "last problem", sim: "SIM" };
  function kv(v, key) {
    if (v && typeof v === "object" && !Array.isArray(v))
      return el("dl", Object.entries(v).map(([k, x]) => [el("dt", { title: k }, LABELS[k] || k.replace(/_/g, " ")), el("dd", kv(x, k))]));
    if (key === "rssi" && v === 99) return "unknown (99: the modem cannot tell)";
    if (typeof v === "boolean") return v ? "yes" : "no";
    if (Array.isArray(v)) return v.length ? el("ol", v.map((x) => el("li", kv(x)))) : "—";
    if (typeof v === "number" && /bytes$/.test(key || "")) return SB.bytes(v);
    if (typeof v === "number" && /(^|_)s$/.test(key || "")) return SB.duration(v);
    if (v === null || v === undefined || v === "") return "—";
    return String(v);
  }
  // Then the recent warnings and errors, and the dead letters: untrusted input, so every field
  // goes in as text (el() makes text nodes) and the payload only as the server's hex preview.
  const when = (ms) => (ms ? new Date(ms).toLocaleString() : "—");
  SB.views.diag = async function () {
    const { recent_errors: errors = [], dead_letters: dead = [], ...status } =
      await SB.api("GET", "/diagnostics");
    SB.show(el("h2", "Diagnostics"),
      SB.lastHealth ? SB.healthBox(SB.lastHealth) : el("div.health#health"),
      el("button", { type: "button", onclick: () => SB.views.diag() }, "Refresh"),
      el("div.diag#diag", kv(status)),
      el("h3", "Recent warnings and errors"),
      el("div#diag-errors", errors.length
        ? table(["time", "level", "component", "message"],
          errors.map((e) => [when(e.at_ms), e.level, e.component, e.message]))
        : el("p.empty", "None since the service started.")),
      el("h3", "Dead letters (refused input)"),
      el("div#diag-dead", dead.length
        ? table(["time", "source", "reason", "payload"],
          dead.map((d) => [when(d.at_ms), d.source, d.reason,
            [el("code", d.payload_hex.replace(/(.{8})(?=.)/g, "$1 ") +
              (d.payload_bytes * 2 > d.payload_hex.length ? " …" : "")),
              " (" + SB.bytes(d.payload_bytes) + ")"]]))
        : el("p.empty", "None kept.")));
  };

  // A text with the spans (UTF-8 byte offsets, from the server) marked.
  function marked(text, spans) {
    const bytes = new TextEncoder().encode(text);
    const dec = new TextDecoder();
    const out = [];
    let at = 0;
    for (const s of spans) {
      if (s.begin < at) continue;
      out.push(dec.decode(bytes.slice(at, s.begin)), el("mark", dec.decode(bytes.slice(s.begin, s.end))));
      at = s.end;
    }
    out.push(dec.decode(bytes.slice(at)));
    return el("p.marked", out);
  }
  SB.views.rules = async function () {
    const r = await SB.api("GET", "/rules");
    const text = el("input", { name: "text", placeholder: "Type a message to test", required: true, maxLength: 4096 });
    const result = el("div.verdict#verdict");
    const test = SB.form("ruletest", async () => {
      const v = await SB.try(() => SB.api("POST", "/rules/test", { text: text.value }));
      if (!v) return;
      result.replaceChildren(
        el("p", { className: v.handoff ? "yes" : "no" }, v.handoff
          ? "Hands off: " + v.trigger + " (rule " + v.rule + "), priority " + v.priority +
            (v.department ? ", department " + v.department : "") + (v.urgent ? ", urgent" : "")
          : "Stays with the bot."),
        marked(text.value, v.spans));
    }, text, el("button", { type: "submit" }, "Test"));
    SB.show(
      el("h2", "Trigger rules"),
      test, result,
      el("div.scroll.rules", table(["id", "kind", "patterns", "priority", "department", "urgent"],
        r.rules.map((x) => [x.id, x.kind, x.patterns.length > 6
          ? el("details.pats", el("summary", x.patterns.length + " patterns: " + x.patterns.slice(0, 4).join(", ") + "…"),
            el("div.patlist", x.patterns.join(", ")))
          : x.patterns.join(", ") + (x.signals ? " [" + x.signals.join(", ") + "]" : ""),
          x.priority, x.department || "—", x.urgent ? "yes" : ""]))),
      el("p.note", "Bot fallbacks in a row that hand off: " + r.fallback_threshold +
        " (priority " + r.fallback_priority + (r.fallback_department ? ", " + r.fallback_department : "") + ")")
    );
  };

  SB.views.users = async function () {
    const users = await SB.api("GET", "/users");
    const name = el("input", { name: "name", required: true, placeholder: "name", autocomplete: "off" });
    const role = el("select", { name: "role" }, SB.options(["agent", "technician", "admin"], "agent"));
    const pw = el("input", { name: "password", type: "password", required: true, minLength: 10, placeholder: "password (10+)", autocomplete: "new-password" });
    const add = SB.form("adduser", async () => {
      const ok = await SB.try(() => SB.api("POST", "/users", { name: name.value.trim(), role: role.value, password: pw.value }),
        "User " + name.value.trim() + " created");
      if (ok) SB.views.users();
    }, name, role, pw, el("button", { type: "submit" }, "Create user"));
    // Each change ends that user's sessions at once (the server's rule); yourself excepted
    // from disabling, and the last enabled admin stays.
    const change = (u, path, body, ok) => async () => {
      if (await SB.try(() => SB.api("POST", "/users/" + encodeURIComponent(u.name) + path, body), ok)) SB.views.users();
    };
    const row = (u) => {
      const newPw = el("input", { name: "password", type: "password", minLength: 10, required: true, placeholder: "new password (10+)", autocomplete: "new-password" });
      const reset = SB.form("pwreset", () => change(u, "/password", { password: newPw.value }, "Password of " + u.name + " reset; logged out")(),
        newPw, el("button", { type: "submit" }, "Reset"));
      const r = el("select", { name: "role", "aria-label": "role of " + u.name,
        onchange: (ev) => change(u, "/role", { role: ev.target.value }, u.name + " is now " + ev.target.value)() },
        SB.options(["agent", "technician", "admin"], u.role));
      return el("tr", { "data-user": u.name, className: u.disabled ? "off" : "" },
        el("td", el("bdi", u.name)), el("td", r), el("td", u.disabled ? "disabled" : "active"),
        el("td", u.name === SB.me.name ? "you" : el("button", { type: "button", "data-act": u.disabled ? "enable" : "disable",
          onclick: change(u, "/disable", { disabled: !u.disabled }, u.name + (u.disabled ? " enabled" : " disabled; logged out")) },
          u.disabled ? "Enable" : "Disable")),
        el("td", reset));
    };
    SB.show(el("h2", "Users"),
      el("div.scroll", el("table#users", el("thead", el("tr", ["name", "role", "state", "", "password"].map((h) => el("th", h)))),
        el("tbody", users.map(row)))),
      el("p.note", "A forgotten admin password: on the gateway run `switchboard user passwd NAME` (see the README)."),
      el("h3", "New user"), add);
  };
})();
