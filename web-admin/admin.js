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

  SB.views.stats = async function () {
    const s = await SB.api("GET", "/stats");
    const max = Math.max(1, ...s.by_day.map((d) => d.conversations));
    SB.show(
      el("h2", "Handoff statistics"),
      el("div.cards#stats",
        el("div.card", el("b", pct(s.rate)), "handoff rate"),
        el("div.card", el("b", s.handoffs + " / " + s.conversations), "handed off / conversations"),
        el("div.card", el("b", ms(s.first_reply.median_ms)), "median to first human reply"),
        el("div.card", el("b", ms(s.first_reply.p90_ms)), "p90 to first human reply"),
        el("div.card", el("b", String(s.first_reply.unanswered)), "handed off, no reply yet")),
      el("h3", "By trigger"),
      table(["trigger", "handoffs"], Object.entries(s.by_trigger).map(([k, v]) => [k, v])),
      el("h3", "By channel"),
      table(["channel", "conversations", "handoffs", "rate"],
        Object.entries(s.by_channel).map(([k, v]) => [k, v.conversations, v.handoffs, pct(v.rate)])),
      el("h3", "Last 14 days"),
      table(["day", "conversations", "handoffs", "rate"], s.by_day.map((d) => [
        new Date(d.day_start_ms).toISOString().slice(5, 10),
        el("span.bar", el("meter", { min: 0, max, value: d.conversations }), " " + d.conversations),
        d.handoffs, pct(d.rate)]))
    );
  };

  // Diagnostics: whatever the service reports, as nested key/value lists.
  function kv(v, key) {
    if (v && typeof v === "object" && !Array.isArray(v))
      return el("dl", Object.entries(v).map(([k, x]) => [el("dt", k), el("dd", kv(x, k))]));
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
      table(["id", "kind", "patterns", "priority", "department", "urgent"],
        r.rules.map((x) => [x.id, x.kind, x.patterns.join(", ") + (x.signals ? " [" + x.signals.join(", ") + "]" : ""),
          x.priority, x.department || "—", x.urgent ? "yes" : ""])),
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
    SB.show(el("h2", "Users"), table(["name", "role"], users.map((u) => [u.name, u.role])), el("h3", "New user"), add);
  };
})();
