"use strict";
// The agent's workflow: presence in the header with the page's heartbeat, search,
// a contact's profile (edit, merge) and the canned replies editor (admins).
(function () {
  const { el } = SB;
  const $ = (id) => document.getElementById(id);

  // ---- presence ----
  // The server makes an online agent whose page it has not heard from for [routing]
  // away_after_min away (1 min at the least, 5 by default, checked every 15 s); a heartbeat
  // every 20 s stays inside the shortest setting, and one goes at once when the tab shows again.
  const BEAT_MS = 20000;
  let beat = null;
  function showPresence(p) {
    $("presence-box").hidden = !p;
    if (!p) return;
    $("presence").value = p;
    $("presence").dataset.p = p;
  }
  SB.presence = async function () {
    if (!SB.can("admin", "agent")) return SB.presenceStop();
    const team = await SB.api("GET", "/presence").catch(() => null);
    if (!team || !SB.me) return;
    const me = team.find((a) => a.id === SB.me.name);
    if (!me) return SB.presenceStop();  // a user with no agents record takes no conversations
    showPresence(me.presence);
    if (!beat) {
      beat = setInterval(heartbeat, BEAT_MS);
      heartbeat();
    }
  };
  SB.presenceStop = function () {
    clearInterval(beat);
    beat = null;
    showPresence(null);
  };
  async function heartbeat() {
    if (!SB.me) return SB.presenceStop();
    const r = await SB.api("POST", "/presence/heartbeat").catch(() => null);
    if (r && beat) showPresence(r.presence || "offline");
  }
  $("presence").addEventListener("change", async (ev) => {
    const want = ev.target.value, before = ev.target.dataset.p;
    const r = await SB.try(() => SB.api("POST", "/presence", { presence: want }), "You are " + want);
    showPresence(r ? r.presence : before);
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && beat) heartbeat();
  });

  // ---- search (header box) ----
  $("search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("q").value.trim();
    if (!q) return;
    const to = "#/search/" + encodeURIComponent(q);
    if (location.hash === to) SB.route();
    else location.hash = to;
  });
  SB.views.search = async function (arg) {
    let q = "";
    try {
      q = decodeURIComponent(arg || "");
    } catch (e) {
      q = arg || "";
    }
    $("q").value = q;
    if (!q) return SB.show(el("h2", "Search"), el("p.empty", "Search for a name, a number or words of a message."));
    const at = location.hash;
    const r = await SB.api("GET", "/search?limit=30&q=" + encodeURIComponent(q));
    if (location.hash !== at) return;
    SB.show(
      el("h2", "Search: ", el("q", q)),
      el("h3", "Contacts"),
      r.contacts.length
        ? el("div.list#found-contacts", r.contacts.map((p) => el("a.conv", { href: "#/p/" + p.id, "data-contact": p.id },
            el("div.line", el("strong", p.name || "(no name)"), el("span.tags", p.tags.map((t) => el("span.tag", t)))),
            el("div.meta", p.addresses.map((a) => el("span", a.channel + ": " + a.address))))))
        : el("p.empty", "No contact matches."),
      el("h3", "Messages"),
      r.messages.length
        ? el("div.list#found-messages", r.messages.map((h) => el("a.conv" + (h.note ? ".hit-note" : ""), { href: "#/c/" + h.conversation_id },
            el("div.last", h.snippet),
            el("div.meta", h.note ? el("span.private", "private note") : null, el("span", h.author),
              el("bdi.who", h.contact_name || "conversation #" + h.conversation_id),
              h.channel ? el("span.chan", h.channel) : null, el("span.when", SB.time(h.at_ms))))))
        : el("p.empty", "No message matches.")
    );
  };

  // ---- a contact (a person across channels) ----
  SB.contactSig = (p) => JSON.stringify([p.name, p.addresses, p.tags, p.notes, p.merged_into,
    (p.conversations || []).map((c) => c.id + c.status)]);
  const isVip = (t) => t.toLowerCase() === "vip";
  // A card with something typed (or merge candidates found) is not replaced by live updates.
  const fields = (card) => card.querySelectorAll("input,textarea");
  SB.cardDirty = (card) => [...fields(card)].some((f) => f.value !== (f.dataset.orig || "")) ||
    !!card.querySelector(".found .cand");
  // Shows `p` in the card on screen (`#contact`) unless it shows that already or is being edited.
  SB.updateCard = function (p, reload) {
    const card = document.getElementById("contact");
    if (card && card.dataset.sig !== SB.contactSig(p) && !SB.cardDirty(card))
      card.replaceWith(SB.contactCard(p, reload, card.open));
  };

  // The profile as a collapsible card: addresses, tags (VIP), notes, conversations; for
  // admins and agents an edit form and a merge ("fold another contact into this one").
  SB.contactCard = function (p, reload, open) {
    const worker = SB.can("admin", "agent") && !p.merged_into;
    // After a change: what was typed is done with, so the fresh card may replace this one.
    const done = () => {
      for (const f of fields(card)) f.dataset.orig = f.value;
      for (const f of card.querySelectorAll(".found")) f.replaceChildren();
      reload();
    };
    const save = async (body, ok) => {
      if (await SB.try(() => SB.api("POST", "/contacts/" + p.id, body), ok)) done();
    };
    const vip = p.tags.some(isVip);
    const chips = p.tags.map((t) => el("span.tag" + (isVip(t) ? ".vip" : ""), t, worker
      ? el("button.x", { type: "button", "aria-label": "remove tag " + t, onclick: () => save({ remove_tags: [t] }, "Tag removed") }, "×")
      : null));
    const name = el("input", { name: "name", value: p.name, "data-orig": p.name, maxLength: 200, placeholder: "name" });
    const notes = el("textarea", { name: "notes", rows: 2, value: p.notes, "data-orig": p.notes, maxLength: 4096, placeholder: "about this person (for colleagues)" });
    const tag = el("input", { name: "tag", maxLength: 64, placeholder: "add a tag", list: "tag-suggest", "data-orig": "" });
    const edit = SB.form("contactedit", async () => {
      const body = {};
      if (name.value.trim() !== p.name) body.name = name.value.trim();
      if (notes.value !== p.notes) body.notes = notes.value;
      if (tag.value.trim()) body.add_tags = [tag.value.trim()];
      if (!Object.keys(body).length) return SB.toast("Nothing changed");
      await save(body, "Contact saved");
    }, SB.field("Name", name), SB.field("Tag", tag), SB.field("Notes", notes), el("button", { type: "submit" }, "Save contact"));
    const convs = p.conversations || [];
    const card = el("details.pcard#contact", { open, "data-id": p.id, "data-sig": SB.contactSig(p) },
      el("summary", "Contact: ", el("strong", p.name || (p.addresses[0] || {}).address || "#" + p.id),
        vip ? el("span.tag.vip", "VIP") : null, el("span.note", " #" + p.id)),
      p.merged_into ? el("p.note", "Merged into ", el("a", { href: "#/p/" + p.merged_into }, "contact #" + p.merged_into)) : null,
      el("dl",
        el("dt", "Addresses"), el("dd.addrs", p.addresses.map((a) => el("span.addr", a.channel + ": " + a.address))),
        el("dt", "Tags"), el("dd#ctags", chips.length ? chips : "—", worker && !vip
          ? el("button.ctag", { type: "button", "data-vip": "on", onclick: () => save({ add_tags: ["VIP"] }, "Marked VIP") }, "+ VIP")
          : null),
        el("dt", "Notes"), el("dd.pre", p.notes || "—"),
        el("dt", "Conversations"), el("dd", convs.length ? convs.map((c) =>
          el("a.cv", { href: "#/c/" + c.id }, "#" + c.id + " " + c.channel + " · " + c.status)) : "—")),
      worker ? [edit, mergeForm(p, () => done())] : null);
    return card;
  };

  // Finds the other contact by name, address or #id; a two-step button folds it in.
  function mergeForm(p, reload) {
    const q = el("input", { name: "other", required: true, maxLength: 256, placeholder: "name, number or #id", "data-orig": "" });
    const found = el("div.found#merge-found");
    const candidate = (o) => {
      const b = el("button", { type: "button", "data-merge": o.id }, "Merge into this contact");
      b.addEventListener("click", async () => {
        if (!b.dataset.armed) {
          b.dataset.armed = "1";
          b.textContent = "Confirm: fold #" + o.id + " into #" + p.id;
          return;
        }
        b.disabled = true;
        if (await SB.try(() => SB.api("POST", "/contacts/" + p.id + "/merge", { other: o.id }), "Contacts merged")) reload();
        b.disabled = false;
      });
      return el("div.cand", el("span", (o.name || "(no name)") + " · #" + o.id + " · " +
        o.addresses.map((a) => a.channel + ": " + a.address).join(", ")), b);
    };
    return SB.form("merge", async () => {
      const v = q.value.trim().replace(/^#(\d+)$/, "$1");
      const hits = [];
      if (/^\d{1,15}$/.test(v)) {
        const one = await SB.api("GET", "/contacts/" + v).catch(() => null);
        if (one) hits.push(one);
      }
      const r = await SB.try(() => SB.api("GET", "/search?limit=10&q=" + encodeURIComponent(v)));
      for (const o of (r && r.contacts) || []) if (!hits.some((h) => h.id === o.id)) hits.push(o);
      const others = hits.filter((o) => o.id !== p.id && !o.merged_into);
      found.replaceChildren(...(others.length ? others.map(candidate) : [el("p.empty", "No other contact found.")]));
    }, el("span.lbl", "Same person as another contact?"), q, el("button", { type: "submit" }, "Find"), found);
  }

  // #/p/<id>: one person, their conversations and the merged history; live updates refresh
  // it in place (the card as in the conversation view).
  SB.views.p = async function (id) {
    const at = location.hash;
    const p = await SB.api("GET", "/contacts/" + id);
    if (location.hash !== at) return;
    const reload = () => SB.views.p(id);
    const convs = p.conversations.length ? el("div.list#pconvs", p.conversations.map((c) => SB.row(c))) : el("p.empty#pconvs", "None.");
    const hist = el("section.history#phist", p.history.slice(-50).map(SB.message));
    const card = document.getElementById("contact");
    if (card && card.dataset.id === String(p.id) && document.getElementById("pconvs")) {
      SB.updateCard(p, reload);
      document.getElementById("pconvs").replaceWith(convs);
      document.getElementById("phist").replaceWith(hist);
      return;
    }
    SB.show(el("p.back", el("a", { href: "#/inbox" }, "← inbox")), SB.contactCard(p, reload, true),
      el("h3", "Conversations"), convs, el("h3", "History across conversations"), hist);
  };

  // ---- canned replies (admins) ----
  SB.views.canned = async function () {
    const at = location.hash;
    const list = await SB.api("GET", "/canned");
    if (location.hash !== at) return;
    const sc = el("input", { name: "shortcut", required: true, maxLength: 64, pattern: "\\S+", placeholder: "/refund", autocomplete: "off" });
    const text = el("textarea", { name: "text", required: true, rows: 3, maxLength: 4096, placeholder: "Hello {name}, …" });
    const save = SB.form("cannededit", async () => {
      const s = sc.value.trim();
      if (await SB.try(() => SB.api("POST", "/canned", { shortcut: s, text: text.value }), "Saved " + s)) SB.views.canned();
    }, SB.field("Shortcut (no spaces)", sc), SB.field("Text — {name} becomes the contact's name", text),
    el("button", { type: "submit" }, "Save"));
    const del = (c) => {
      const b = el("button.ghost", { type: "button", "data-del": c.shortcut }, "Delete");
      b.addEventListener("click", async () => {
        if (!b.dataset.armed) {
          b.dataset.armed = "1";
          b.textContent = "Confirm delete";
          return;
        }
        if (await SB.try(() => SB.api("DELETE", "/canned/" + encodeURIComponent(c.shortcut)), "Deleted " + c.shortcut)) SB.views.canned();
      });
      return b;
    };
    const editBtn = (c) => el("button.ghost", { type: "button", onclick: () => {
      sc.value = c.shortcut;
      text.value = c.text;
      text.focus();
    } }, "Edit");
    SB.show(
      el("h2", "Canned replies"),
      el("p.note", "Agents type the shortcut in a reply and press Tab (or pick it from the list). " +
        "Edits here stay until the config's own canned replies change (a new push from central)."),
      list.length
        ? el("table#canned", el("thead", el("tr", el("th", "shortcut"), el("th", "text"), el("th", ""))),
            el("tbody", list.map((c) => el("tr", { "data-shortcut": c.shortcut }, el("td", el("code", c.shortcut)),
              el("td.pre", c.text), el("td.btns", editBtn(c), del(c))))))
        : el("p.empty#canned", "No canned replies yet."),
      el("h3", "Add or change"),
      save
    );
  };
})();
