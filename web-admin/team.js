"use strict";
// Running a team: the audit log (admins).
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
})();
