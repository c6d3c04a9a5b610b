"use strict";
// The inbox, the handoff queue and one conversation (with its contact, private notes and
// canned replies).
(function () {
  const { el } = SB;
  const TAGS = ["Hot Lead", "VIP", "Needs Follow-up"];
  const CHANNELS = ["sms", "whatsapp", "telegram", "messenger", "instagram", "webchat", "email"];
  const STATUSES = ["bot", "queued", "assigned", "closed", "archived"];
  SB.filters = SB.filters || { status: "", channel: "", department: "", tag: "", mine: false };

  function tags(c) {
    return el("span.tags", (c.tags || []).map((t) => el("span.tag", t)));
  }
  function status(c) {
    return el("span.status.s-" + c.status, c.status);
  }
  // In <bdi>: an Arabic or Hebrew name does not reorder what follows it.
  function who(c) {
    return c.contact_name ? [el("bdi", c.contact_name), " (", el("bdi", c.contact), ")"] : el("bdi", c.contact);
  }
  // A waiting time that grows each second, from the server's count (no clock skew).
  function wait(c) {
    const since = Date.now() - (c.waiting_s || 0) * 1000;
    return el("span.wait", { "data-since": since }, SB.duration(c.waiting_s || 0));
  }

  // First-reply targets (GET /targets): conversation id -> {since, target, over}, where
  // `since` is on this browser's clock (now minus the server's count).
  SB.targets = async function () {
    const list = await SB.api("GET", "/targets").catch(() => []);
    const now = Date.now(), out = {};
    for (const t of list)
      if (t.target_ms > 0) out[t.id] = { since: now - t.waiting_ms, target: t.target_ms, over: t.over_target };
    return out;
  };
  // "waiting 6 min, over the 5 min target", or the time left; kept current by tickWaits.
  function target(t) {
    if (!t) return null;
    const n = el("span.target", { "data-since": t.since, "data-target": t.target, "data-flag": t.over ? "1" : "" });
    paintTarget(n);
    return n;
  }
  function paintTarget(n) {
    const waited = Date.now() - Number(n.dataset.since), goal = Number(n.dataset.target);
    const over = !!n.dataset.flag || waited >= goal;
    n.classList.toggle("over", over);
    n.textContent = over
      ? "⚠ waiting " + SB.mins(waited) + ", over the " + SB.mins(goal) + " target"
      : "reply due in " + SB.duration((goal - waited) / 1000) + " (" + SB.mins(goal) + " target)";
    const row = n.closest(".conv,.convhead");
    if (row) row.classList.toggle("late", over);
  }
  function tickWaits() {
    for (const n of document.querySelectorAll(".wait[data-since]"))
      n.textContent = SB.duration((Date.now() - Number(n.dataset.since)) / 1000);
    for (const n of document.querySelectorAll(".target[data-since]")) paintTarget(n);
  }

  SB.row = function (c, extra, t) {
    return el(
      "a.conv",
      { href: "#/c/" + c.id, "data-id": c.id, "data-status": c.status },
      el("div.line", el("strong.contact", who(c)), SB.unreadBadge(c), c.urgent ? el("span.urgent", "URGENT") : null,
        el("span.chan", c.channel), status(c), extra),
      el("div.last", c.last_inbound_text || c.last_text || ""),
      c.last_inbound_text && c.last_text && c.last_text !== c.last_inbound_text ? el("div.reply", "↳ " + c.last_text) : null,
      el(
        "div.meta",
        target(t),
        c.handoff ? el("span.reason", c.handoff.reason) : null,
        c.department ? el("span.dep", "dept: " + c.department) : null,
        c.assignee ? el("span.asg", "→ " + c.assignee) : null,
        tags(c),
        el("span.when", SB.time(c.last_at_ms))
      )
    );
  };
  const row = SB.row;

  function team(list) {
    if (!list.length) return null;
    return el("p.team#team", "Team: ", list.map((a) =>
      el("span.agent.p-" + a.presence, { "data-agent": a.id },
        (a.name || a.id) + " · " + a.presence + (a.open ? " · " + a.open + " open" : ""))));
  }

  // Departments keeping opening hours that are closed now: "Billing: closed, opens Mon 09:00"
  // (in the department's own time zone, as the server words it).
  function closedNote(deps) {
    const closed = deps.filter((d) => d.hours && !d.hours.open);
    if (!closed.length) return null;
    return el("p.hours#hours", closed.map((d) =>
      (d.name || d.id) + ": closed" + (d.hours.opens ? ", opens " + d.hours.opens : "")).join(" · "));
  }

  // The queue: what is assigned to me (routing hands it over live), then who waits.
  SB.views.queue = async function () {
    const at = location.hash, worker = SB.can("admin", "agent");
    const [list, mine, targets, agents, deps] = await Promise.all([
      SB.api("GET", "/handoffs"),
      worker ? SB.api("GET", "/conversations?status=assigned&mine=1") : [],
      SB.targets(),
      worker ? SB.api("GET", "/presence").catch(() => []) : [],
      worker ? SB.api("GET", "/departments").catch(() => []) : [],
    ]);
    SB.setQueueCount(list.length);
    if (location.hash !== at) return;  // another view was asked for meanwhile
    const heading = (text, l) => el("h3", text, " ", el("span.badge.unread-list", SB.listUnread(l) ? String(SB.listUnread(l)) : ""));
    SB.show(
      el("div.viewhead", el("h2", "Handoff queue"), SB.sortSwitch(SB.views.queue)),
      closedNote(deps),
      mine.length ? [heading("Assigned to you", mine), el("div.list#mine", SB.sorted(mine).map((c) => row(c, el("span.prio", "P" + c.priority), targets[c.id])))] : null,
      mine.length ? heading("Waiting for someone", list) : null,
      list.length
        ? el("div.list#queue", SB.sorted(list).map((c) =>
            row(c, [el("span.prio", "P" + c.priority), el("span.waitbox", "waiting ", wait(c))], targets[c.id])))
        : el("p.empty#queue", "Nobody is waiting."),
      team(agents)
    );
    SB.every(1000, tickWaits);
  };

  SB.views.inbox = async function () {
    const at = location.hash, f = SB.filters;
    const q = new URLSearchParams();
    for (const k of ["status", "channel", "department", "tag"]) if (f[k]) q.set(k, f[k]);
    if (f.mine) q.set("mine", "1");
    const [list, deps, targets] = await Promise.all([
      SB.api("GET", "/conversations?" + q),
      SB.can("admin", "agent") ? SB.api("GET", "/departments") : Promise.resolve([]),
      SB.targets(),
    ]);
    const change = (k) => (ev) => {
      f[k] = ev.target.type === "checkbox" ? ev.target.checked : ev.target.value.trim();
      SB.views.inbox();
    };
    const tagInput = el("input", { name: "tag", value: f.tag, placeholder: "tag", list: "tag-suggest", onchange: change("tag") });
    if (location.hash !== at) return;
    SB.show(
      el("div.viewhead", el("h2", "Inbox"), SB.sortSwitch(SB.views.inbox),
        el("span.badge.unread-list", SB.listUnread(list) ? String(SB.listUnread(list)) : "")),
      el(
        "div.filters",
        el("select", { name: "status", onchange: change("status") }, SB.options(STATUSES, f.status, "any status")),
        el("select", { name: "channel", onchange: change("channel") }, SB.options(CHANNELS, f.channel, "any channel")),
        el("select", { name: "department", onchange: change("department") },
          SB.options(deps.map((d) => [d.id, d.name]), f.department, "any department")),
        tagInput,
        el("datalist#tag-suggest", SB.options(TAGS)),
        el("label.check", el("input", { type: "checkbox", name: "mine", checked: f.mine, onchange: change("mine") }), "mine")
      ),
      list.length ? el("div.list#inbox", SB.sorted(list).map((c) => row(c, null, targets[c.id]))) : el("p.empty", "No conversations match.")
    );
    SB.every(1000, tickWaits);
  };

  // History lines: the contact, the bot, agents, private notes (never sent) and the system's
  // reasons ("queued: keyword 'refund'", "assigned to Ana by round robin").
  SB.message = function (m) {
    if (m.note)
      return el("div.msg.m-note", el("div.by", "private — never sent · " + (m.transfer_to ? "transfer to " + m.transfer_to + " · " : "") + (m.author_name || "agent") + " · " + SB.time(m.at_ms)),
        el("div.text", m.text));
    const out = m.direction === "out" && m.status ? " · " + m.status + (m.error ? ": " + m.error : "") : "";
    const routing = m.author === "system" && /^(queued|assigned|back to the queue|priority raised)/.test(m.text);
    return el(
      "div.msg.m-" + (m.author || "contact") + (routing ? ".m-route" : ""),
      { "data-status": m.status || "" },
      el("div.by", (m.author_name || m.author) + " · " + SB.time(m.at_ms) + out),
      el("div.text", m.text),
      (m.attachments || []).map((a) => el("div.att", "📎 ",
        /^https?:\/\//.test(a.url || "") ? el("a", { href: a.url, target: "_blank", rel: "noopener noreferrer" }, a.file_name || a.media_type)
          : a.file_name || a.media_type, a.caption ? " — " + a.caption : ""))
    );
  };

  async function act(id, path, body, ok) {
    const r = await SB.try(() => SB.api(path.startsWith("DELETE ") ? "DELETE" : "POST",
      "/conversations/" + id + path.replace(/^DELETE /, ""), body), ok);
    if (r) SB.views.conversation(id);
    return r;
  }

  // Canned replies in the reply box: "/ref" offers the replies whose shortcut starts so; Tab,
  // Enter or a click puts the reply in (with the contact's name, as the server expands it).
  function cannedAssist(box, id) {
    const list = el("div.suggest#canned-suggest", { role: "listbox", hidden: true });
    const key = (s) => s.replace(/^\//, "").toLowerCase();
    let canned = [], hits = [], pick = 0;
    SB.api("GET", "/canned?conversation=" + id).then((l) => {
      canned = l;
      if (document.activeElement === box) update();
    }).catch(() => {});
    function word() {
      const upto = box.value.slice(0, box.selectionStart);
      const m = /(?:^|\s)(\/\S*)$/.exec(upto);
      return m ? { at: upto.length - m[1].length, end: upto.length, key: key(m[1]) } : null;
    }
    function paint() {
      list.replaceChildren(...hits.map((h, i) =>
        el("button.sugg", { type: "button", role: "option", "aria-selected": String(i === pick), "data-shortcut": h.shortcut,
          onmousedown: (ev) => ev.preventDefault(), onclick: () => insert(h) },
          el("b", h.shortcut), " ", el("span", h.expanded || h.text))));
      list.hidden = !hits.length;
    }
    function update() {
      const w = word();
      hits = w ? canned.filter((c) => key(c.shortcut).startsWith(w.key)).slice(0, 6) : [];
      pick = 0;
      paint();
    }
    function insert(h) {
      const w = word();
      if (!w || !h) return;
      box.setRangeText(h.expanded || h.text, w.at, w.end, "end");
      hits = [];
      paint();
      box.focus();
    }
    box.addEventListener("input", update);
    box.addEventListener("blur", () => { hits = []; paint(); });
    box.addEventListener("keydown", (ev) => {
      if (list.hidden) return;
      if (ev.key === "Tab" || ev.key === "Enter") {
        ev.preventDefault();
        insert(hits[pick]);
      } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        pick = (pick + (ev.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length;
        paint();
      } else if (ev.key === "Escape") {
        hits = [];
        paint();
      }
    });
    return list;
  }

  function actions(c) {
    const id = c.id;
    const replyBox = el("textarea", { name: "text", rows: 3, required: true, maxLength: 4096,
      placeholder: "Reply as " + SB.me.name + " — type / for canned replies, Ctrl+Enter sends" });
    replyBox.addEventListener("input", () => SB.typing(id));
    const warn = el("p.collide#collide", { hidden: true, role: "alert" });
    const send = el("button", { type: "submit" }, "Send reply");
    let asked = false;
    const reply = SB.form("reply", async () => {
      const question = SB.collision(SB.shownConv || c);
      if (question && !asked) {
        asked = true;
        warn.textContent = question;
        warn.hidden = false;
        send.textContent = "Send anyway";
        return;
      }
      asked = false;
      warn.hidden = true;
      send.textContent = "Send reply";
      if (await act(id, "/messages", { text: replyBox.value }, "Sent")) replyBox.value = "";
    }, replyBox, cannedAssist(replyBox, id), warn, send);
    const noteBox = el("textarea", { name: "note", rows: 2, required: true, maxLength: 4096,
      placeholder: "For colleagues only: never sent to the contact" });
    const note = SB.form("noteform", async () => {
      if (await act(id, "/notes", { text: noteBox.value }, "Private note added")) noteBox.value = "";
    }, el("span.private", "Private note — never sent to the contact"), noteBox, el("button", { type: "submit" }, "Add private note"));
    const dep = el("select", { name: "department" });
    const agent = el("select", { name: "agent" });
    const lists = Promise.all([SB.api("GET", "/departments"), SB.api("GET", "/agents")]);
    lists.then(([ds, as]) => {
      dep.append(...SB.options(ds.map((d) => [d.id, d.name]), "", "— department —"));
      agent.append(...SB.options(as.map((a) => [a.id, a.name]), "", "— agent —"));
    }).catch(() => {});
    const assign = SB.form("assign", () => {
      const body = {};
      if (dep.value) body.department = dep.value;
      if (agent.value) body.agent = agent.value;
      if (!body.department && !body.agent) return SB.toast("Choose a department or an agent");
      return act(id, "/assign", body, "Assigned");
    }, dep, agent, el("button", { type: "submit" }, "Assign"));
    const tagIn = el("input", { name: "tag", list: "tag-suggest", placeholder: "add a tag", required: true, maxLength: 64 });
    const tagForm = SB.form("tagform", () => act(id, "/tags", { tag: tagIn.value.trim() }, "Tagged"),
      tagIn, el("datalist#tag-suggest", SB.options(TAGS)), el("button", { type: "submit" }, "Add tag"),
      el("span.suggest-tags", TAGS.filter((t) => !(c.tags || []).includes(t)).map((t) =>
        el("button.chip", { type: "button", onclick: () => act(id, "/tags", { tag: t }, "Tagged") }, "+ " + t))));
    const btn = (label, path, ok) => el("button", { type: "button", "data-act": path.slice(1), onclick: () => act(id, path, {}, ok) }, label);
    const st = c.status;
    const open = st !== "closed" && st !== "archived";
    return el(
      "section.actions#actions",
      { "data-status": c.status, "data-tags": (c.tags || []).join("\n"), "data-snoozed": String(!!c.snoozed) },
      open ? reply : null,
      note,
      open ? assign : null,
      open && SB.transferBox ? SB.transferBox(c, (path, body, ok) => act(id, path, body, ok), lists) : null,
      st !== "archived" ? tagForm : null,
      el(
        "div.buttons",
        st === "assigned" ? btn("Back to queue", "/unassign", "Back in the queue") : null,
        open ? btn("Close", "/close", "Closed") : null,
        st === "closed" ? btn("Archive", "/archive", "Archived") : null,
        !open ? btn("Reopen", "/reopen", "Reopened") : null,
        open && SB.snoozeBox ? SB.snoozeBox(c, (path, body, ok) => act(id, path, body, ok)) : null
      )
    );
  }

  // One tap tells the statistics this handoff was a false alarm (the bot could have answered);
  // a second tap takes it back.
  function review(c) {
    const nn = !!c.handoff.not_needed;
    return el("button.review#review", { type: "button", "aria-pressed": String(nn),
      title: nn ? "marked not needed by " + (c.handoff.reviewed_by || "someone") + ": tap to undo"
        : "the bot could have handled this: counts against the rule in the statistics",
      onclick: () => act(c.id, "/handoff-review", { not_needed: !nn }, nn ? "Marked needed" : "Marked not needed") },
      nn ? "✓ not needed" : "Not needed?");
  }

  function head(c, t) {
    const canAct = SB.can("admin", "agent");
    const tagChips = (c.tags || []).map((tag) =>
      el("span.tag", tag, canAct && c.status !== "archived"
        ? el("button.x", { type: "button", title: "remove tag " + tag, "aria-label": "remove tag " + tag,
            onclick: () => act(c.id, "DELETE /tags/" + encodeURIComponent(tag), null, "Tag removed") }, "×")
        : null));
    return el(
      "section.convhead#conv",
      { "data-id": c.id, "data-status": c.status },
      el("h2", who(c)),
      el("div.line", c.urgent ? el("span.urgent", "URGENT") : null, el("span.chan", c.channel), status(c), el("span.prio", "P" + c.priority),
        c.status === "queued" ? el("span.waitbox", "waiting ", wait(c)) : null, target(t)),
      c.handoff ? el("p.reason", "Handed off: ", el("strong", c.handoff.reason), " ",
        canAct ? review(c) : c.handoff.not_needed ? el("span.review", "(marked not needed)") : null) : null,
      c.transfer && SB.transferNote ? SB.transferNote(c.transfer) : null,
      el("p.activity#activity", { "data-id": c.id, "aria-live": "polite" }),
      el("div.meta", el("span.dep", "department: " + (c.department || "—"),
          c.department_hours && !c.department_hours.open
            ? el("span.hours", " (closed" + (c.department_hours.opens ? ", opens " + c.department_hours.opens : "") + ")")
            : null),
        el("span.asg", "agent: " + (c.assignee || "—"))),
      el("div.tags#tags", tagChips)
    );
  }

  // Live updates refresh the header and the history in place; the forms (a half-typed reply,
  // a chosen department, a contact being edited) stay. When the status changes the actions
  // are rebuilt, keeping what was typed.
  SB.views.conversation = async function (id) {
    const at = location.hash;
    const [c, targets] = await Promise.all([SB.api("GET", "/conversations/" + id), SB.targets()]);
    const person = c.contact_id ? await SB.api("GET", "/contacts/" + c.contact_id).catch(() => null) : null;
    if (location.hash !== at) return;
    SB.shownConv = c;
    SB.markRead(String(c.id), c);
    const canAct = SB.can("admin", "agent");
    const reload = () => SB.views.conversation(id);
    const history = el("section.history#history", c.messages.map(SB.message));
    const shown = document.getElementById("conv");
    if (shown && shown.dataset.id === String(c.id)) {
      shown.replaceWith(head(c, targets[c.id]));
      document.getElementById("history").replaceWith(history);
      if (person) SB.updateCard(person, reload);
      const acts = document.getElementById("actions");
      if (acts && (acts.dataset.status !== c.status || acts.dataset.tags !== (c.tags || []).join("\n") ||
          acts.dataset.snoozed !== String(!!c.snoozed))) {
        const next = actions(c);
        for (const t of acts.querySelectorAll("textarea")) {
          const same = next.querySelector("textarea[name=" + t.name + "]");
          if (same) same.value = t.value;
        }
        acts.replaceWith(next);
      }
    } else {
      SB.show(
        el("p.back", el("a", { href: "#/queue" }, "← queue"), " ", el("a", { href: "#/inbox" }, "← inbox")),
        head(c, targets[c.id]), person ? SB.contactCard(person, reload, false) : null,
        history, canAct ? actions(c) : el("p.note", "Read-only for your role."));
      SB.every(1000, tickWaits);
      SB.tellActivity(c.id, "viewing");
      SB.every(10000, () => SB.tellActivity(c.id, "viewing"));
    }
    SB.paintActivity();
    history.scrollTop = history.scrollHeight;
  };
})();
