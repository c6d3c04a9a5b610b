"use strict";
// Running a team: the audit log and the CSV exports (admins); snooze and transfer in a conversation.
(function () {
  const { el } = SB;
  const when = (ms) => new Date(ms).toLocaleString();

  // One entry as two short lines, so a phone shows it without a sideways scroll.
  function entry(e) {
    return el("li.aud", { "data-action": e.action },
      el("div.line", el("b", e.actor || "?"), el("span.act", e.action), e.target ? el("span", e.target) : null,
        el("span.when", when(e.at_ms))),
      el("div.meta", el("span", "from " + (e.address || "?")), e.detail ? el("span", e.detail) : null));
  }
  SB.views.audit = async function () {
    const list = el("ol.audit#audit");
    const more = el("button", { type: "button", hidden: true }, "Older");
    let before = 0;
    async function page() {
      const r = await SB.api("GET", "/audit?limit=100" + (before ? "&before=" + before : ""));
      r.entries.forEach((e) => list.append(entry(e)));
      if (r.entries.length) before = r.entries[r.entries.length - 1].n;
      more.hidden = r.entries.length < 100;
      return r;
    }
    more.onclick = () => SB.try(page);
    const first = await page();
    SB.show(el("div.viewhead", el("h2", "Audit log"),
      el("button", { type: "button", onclick: () => SB.views.audit() }, "Refresh")),
      el("p.note", "Who did what, from which address; newest first. The newest " + first.cap + " entries are kept."),
      first.entries.length ? list : el("p.empty", "Nothing recorded yet."), more);
  };

  // Exports, under the statistics: conversations (one row each) and handoffs per day, for a
  // range of UTC dates, downloaded as CSV files.
  const day = (ms) => new Date(ms).toISOString().slice(0, 10);
  const range = { since: day(Date.now() - 29 * 864e5), until: day(Date.now()) };  // kept across live re-renders
  function exportBox() {
    const since = el("input#export-since", { type: "date", name: "since", value: range.since });
    const until = el("input#export-until", { type: "date", name: "until", value: range.until });
    const link = (what, text) => el("a.button#export-" + what, { download: "", href: "#" }, text);
    const links = [link("conversations", "Conversations (CSV)"), link("handoffs", "Handoffs per day (CSV)")];
    const update = () => {
      range.since = since.value;
      range.until = until.value;
      for (const a of links)
        a.href = "/api/v1/export/" + a.id.slice(7) + ".csv?since=" + encodeURIComponent(since.value) + "&until=" + encodeURIComponent(until.value);
    };
    since.oninput = until.oninput = update;
    update();
    return el("section.export", el("h3", "Export"), el("div.exportrow", SB.field("From (UTC)", since), SB.field("Through", until), links),
      el("p.note", "A file holds up to about 150,000 conversations; on the gateway, switchboard export --format csv has no limit."));
  }
  // Snooze: until a time or until the customer writes again; a snoozed one can be woken now.
  const utc = (ms) => new Date(ms).toISOString().slice(0, 19) + "Z";
  SB.snoozeBox = function (c, act) {
    if (c.snoozed)
      return el("span.snoozed#snoozed", "Snoozed " + (c.snooze_until_ms ? "until " + when(c.snooze_until_ms) : "until the customer writes"),
        " ", el("button", { type: "button", "data-act": "unsnooze", onclick: () => act("/unsnooze", {}, "Back in the lists") }, "Wake now"));
    const tomorrow9 = new Date();
    tomorrow9.setDate(tomorrow9.getDate() + 1);
    tomorrow9.setHours(9, 0, 0, 0);
    const pick = el("select#snooze-for", { name: "snooze", "aria-label": "snooze for" }, SB.options([
      ["customer", "until they write"], ["1", "1 hour"], ["4", "4 hours"], ["t9", "until tomorrow 9:00"], ["168", "1 week"]], "customer"));
    const go = () => {
      const v = pick.value;
      const until = v === "customer" ? "" : utc(v === "t9" ? tomorrow9.getTime() : Date.now() + Number(v) * 3600e3);
      return act("/snooze", until ? { until } : {}, "Snoozed");
    };
    return el("span.snooze", pick, el("button", { type: "button", "data-act": "snooze", onclick: go }, "Snooze"));
  };

  // Transfer with a private note: to a colleague, or into a department's queue (which hands it
  // on as members have room). `lists` is the [departments, agents] the actions load anyway.
  SB.transferBox = function (c, act, lists) {
    const to = el("select#transfer-to", { name: "to", "aria-label": "transfer to", required: true }, el("option", { value: "" }, "— transfer to —"));
    lists.then(([ds, as]) => to.append(
      el("optgroup", { label: "Departments" }, SB.options(ds.map((d) => ["d:" + d.id, d.name]))),
      el("optgroup", { label: "Agents" }, SB.options(as.filter((a) => a.id !== c.assignee).map((a) => ["a:" + a.id, a.name + (a.presence === "online" ? "" : " (" + (a.presence || "offline") + ")")]))))).catch(() => {});
    const note = el("textarea#transfer-note", { name: "note", rows: 2, maxLength: 1024, placeholder: "Note for the receiver: private, never sent to the contact" });
    const form = SB.form("transfer", async () => {
      const [kind, id] = [to.value.slice(0, 1), to.value.slice(2)];
      if (!id) return SB.toast("Choose where to transfer it");
      const body = kind === "d" ? { department: id } : { agent: id };
      if (note.value.trim()) body.note = note.value.trim();
      if (await act("/transfer", body, "Transferred")) note.value = "";
    }, to, note, el("button", { type: "submit", "data-act": "transfer" }, "Transfer"));
    return el("details.transferbox", el("summary", "Transfer with a note"), form);
  };
  // What the receiver sees first: who handed it over, and their note.
  SB.transferNote = (t) => el("p.transfer#transfer-received", "Transferred by ", el("b", t.by), " · " + SB.time(t.at_ms),
    t.note ? el("span.tnote", t.note) : null);

  // Closes (by people, by the quiet timer) and the satisfaction answers per agent and department.
  function afterBox(s) {
    if (!s || !s.csat || !s.closed) return null;
    const avg = (v) => (v.average == null ? "—" : v.average.toFixed(1) + " / 5");
    const rows = (o) => Object.entries(o).map(([k, v]) => el("tr", el("td", k), el("td", String(v.answers)), el("td", avg(v))));
    const table = (what, o) => el("table.csat", el("tr", el("th", what), el("th", "answers"), el("th", "average")), rows(o));
    return el("section.after#after-close", el("h3", "Closed and satisfaction"),
      el("div.cards", el("div.card", el("b", String(s.closed.total)), "closed"),
        el("div.card", el("b", String(s.closed.auto)), "closed automatically (customer silent)"),
        el("div.card", el("b", avg(s.csat)), "satisfaction (" + s.csat.answers + " answers)")),
      s.csat.answers ? [table("agent", s.csat.by_agent), table("department", s.csat.by_department)] : null);
  }
  const stats = SB.views.stats;
  SB.views.stats = async function () {
    await stats();
    document.getElementById("app").append(...[afterBox(SB.lastStats), exportBox()].filter(Boolean));
  };
})();
