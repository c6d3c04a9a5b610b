"use strict";
// What needs a person first: lists sorted priority first (a switch for newest first), unread
// counts, an alert for every new customer message in your conversations and every handoff
// (with the customer's words), and the banner while replies cannot leave.
(function () {
  const { el } = SB;
  const $ = (id) => document.getElementById(id);
  function keep(k, v) {
    try {
      if (v === undefined) return JSON.parse(localStorage.getItem(k));
      localStorage.setItem(k, JSON.stringify(v));
    } catch (e) {
      return null;
    }
  }

  // ---- sorting ----
  SB.sortMode = keep("sb-sort") || "priority";
  // Urgent rules first, then the higher priority, then who has waited longest.
  SB.sorted = function (list) {
    const now = Date.now();
    const waited = (c) => (c.waiting_s !== undefined ? c.waiting_s * 1000 : now - (c.last_at_ms || now));
    const by = SB.sortMode === "recent"
      ? (a, b) => (b.last_at_ms || 0) - (a.last_at_ms || 0)
      : (a, b) => (b.urgent === true) - (a.urgent === true) || b.priority - a.priority || waited(b) - waited(a);
    // Back from a snooze and not yet answered: first, whatever the order.
    const woke = (a, b) => (b.woke_at_ms || 0) - (a.woke_at_ms || 0);
    return list.slice().sort((a, b) => woke(a, b) || by(a, b));
  };
  SB.sortSwitch = function (again) {
    return el("label.sort", "Sort ", el("select#sort", { name: "sort", onchange: (ev) => {
      SB.sortMode = ev.target.value;
      keep("sb-sort", SB.sortMode);
      again();
    } }, SB.options([["priority", "priority first"], ["recent", "newest first"]], SB.sortMode)));
  };

  // ---- unread: the server counts the customer's messages its answerer has not had on screen
  // (the same on a phone and a laptop, and after a reload); the live stream adds to the counts
  // shown until the next list load brings the server's ----
  SB.unread = {};
  SB.loadUnread = () => (SB.unread = {});
  const onScreen = (id) => location.hash === "#/c/" + id && document.visibilityState === "visible";
  // Whether `c`'s unread count is the signed-in user's to clear: the assignee's, or anyone's
  // while it waits in the queue.
  const answerer = (c) => c.status === "queued" || (c.status === "assigned" && SB.me && c.assignee === SB.me.name);
  SB.markRead = function (id, c) {
    c = c || (SB.shownConv && String(SB.shownConv.id) === String(id) ? SB.shownConv : null);
    if (!c || !answerer(c) || !SB.can("admin", "agent") || document.visibilityState !== "visible") return;
    if (c.unread > 0) {
      c.unread = 0;
      SB.api("POST", "/conversations/" + id + "/seen").catch(() => {});
    }
    if (SB.unread[id]) {
      delete SB.unread[id];
      SB.paintUnread();
    }
  };
  // A conversation fresh from the server brings its count.
  const sync = (c) => {
    if (typeof c.unread !== "number") return;
    if (c.unread > 0) SB.unread[c.id] = c.unread;
    else delete SB.unread[c.id];
  };
  SB.unreadBadge = (c) => {
    sync(c);
    return el("span.unread", { "data-unread": c.id, title: "unread" }, SB.unread[c.id] ? String(SB.unread[c.id]) : "");
  };
  SB.listUnread = (list) => list.reduce((n, c) => (sync(c), n + (SB.unread[c.id] || 0)), 0);
  SB.paintUnread = function () {
    let total = 0;
    for (const n of Object.values(SB.unread)) total += n;
    $("ucount").textContent = total ? String(total) : "";
    for (const b of document.querySelectorAll("[data-unread]")) b.textContent = SB.unread[b.dataset.unread] || "";
  };
  document.addEventListener("visibilitychange", () => {
    const m = /^#\/c\/(\d+)/.exec(location.hash);
    if (m && document.visibilityState === "visible") SB.markRead(m[1]);
  });

  // ---- alerts ----
  SB.alerts = [];  // what was announced, newest last (the page's record; tests read it)
  async function announce(e, handoff) {
    const c = await SB.api("GET", "/conversations/" + e.conversation_id).catch(() => null);
    if (!c) return;
    if (!handoff && c.assignee !== SB.me.name) return;  // only your conversations
    const name = c.contact_name || c.contact;
    const title = handoff ? (c.urgent ? "URGENT handoff: " : "Handoff: ") + name : "New message from " + name;
    const body = c.last_inbound_text || c.last_text || "";
    SB.alerts.push({ id: c.id, title, body, urgent: !!c.urgent });
    SB.beep(!!c.urgent);
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const n = new Notification(title, { body, tag: "sb-" + c.id + "-" + e.seq });
    n.onclick = () => {
      window.focus();
      location.hash = "#/c/" + c.id;
    };
  }
  // One batch of live events: a handoff is announced once (not again as its message).
  SB.attend = function (events) {
    const handed = new Set(events.filter((e) => e.kind === "HANDOFF").map((e) => e.conversation_id));
    let changed = false;
    for (const e of events) {
      if (e.kind === "HANDOFF") announce(e, true);
      if (e.kind !== "MESSAGE_IN" || !/^(queued|assigned)$/.test(e.status)) continue;
      if (!onScreen(e.conversation_id)) {
        SB.unread[e.conversation_id] = (SB.unread[e.conversation_id] || 0) + 1;
        changed = true;
      }
      if (!handed.has(e.conversation_id) && e.status === "assigned") announce(e, false);
    }
    if (changed) SB.paintUnread();
  };

  // ---- in a conversation: who else views it, who types in it (over the live stream) ----
  SB.activity = {};  // conversation id -> user -> {state, until}
  SB.onActivity = function (a) {
    if (!SB.me || a.user === SB.me.name) return;
    const per = (SB.activity[a.conversation_id] = SB.activity[a.conversation_id] || {});
    if (a.state === "left") delete per[a.user];
    else per[a.user] = { state: a.state, until: Date.now() + (a.state === "typing" ? 6000 : 25000) };
    SB.paintActivity();
  };
  SB.othersIn = (id) => Object.entries(SB.activity[id] || {}).filter(([, v]) => v.until > Date.now());
  SB.paintActivity = function () {
    const box = $("activity");
    if (!box) return;
    box.textContent = SB.othersIn(box.dataset.id)
      .map(([u, v]) => u + (v.state === "typing" ? " is typing…" : " is viewing")).join(" · ");
  };
  setInterval(SB.paintActivity, 2000);
  SB.tellActivity = (id, state) => SB.api("POST", "/conversations/" + id + "/activity", { state }).catch(() => {});
  let lastTyping = 0;
  SB.typing = function (id) {
    if (Date.now() - lastTyping < 3000) return;
    lastTyping = Date.now();
    SB.tellActivity(id, "typing");
  };
  // Before a reply to a conversation another person holds, or while someone else types in it:
  // the text of the question, or null when there is nothing to ask.
  SB.collision = function (c) {
    const holder = c.assignee && c.assignee !== SB.me.name ? c.assignee : null;
    const typing = SB.othersIn(String(c.id)).filter(([, v]) => v.state === "typing").map(([u]) => u);
    if (!holder && !typing.length) return null;
    return [holder ? holder + " holds this conversation" : "", typing.length ? typing.join(", ") + " is typing in it" : ""]
      .filter(Boolean).join(" and ") + ". Send anyway?";
  };

  // ---- health: polled while logged in; the banner for agents, the summary for technicians ----
  SB.health = async function () {
    const h = await SB.api("GET", "/health").catch(() => null);
    if (!h) return;
    SB.lastHealth = h;
    $("outage").textContent = h.blocked_text || "";
    $("outage").hidden = !h.replies_blocked;
    const box = $("health");
    if (box) box.replaceWith(SB.healthBox(h));
  };
  SB.healthBox = (h) =>
    el("div.health#health", { "data-status": h.status },
      h.parts.map((p) => el("span.part.l-" + p.level, { "data-part": p.name }, el("b", p.name), " " + p.text)));

  // ---- keys: Ctrl+Enter sends the reply; j / k move through the list ----
  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && t.matches && t.matches("form.reply textarea")) {
      ev.preventDefault();
      t.form.requestSubmit();
      return;
    }
    if ((t.matches && t.matches("input, textarea, select")) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key !== "j" && ev.key !== "k") return;
    const rows = [...document.querySelectorAll("a.conv")];
    if (!rows.length) return;
    const i = rows.indexOf(document.activeElement);
    rows[ev.key === "j" ? Math.min(rows.length - 1, i + 1) : Math.max(0, i - 1)].focus();
    ev.preventDefault();
  });
})();
