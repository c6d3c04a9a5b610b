"use strict";
// The inbox, the handoff queue and one conversation.
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
  function who(c) {
    return c.contact_name ? c.contact_name + " (" + c.contact + ")" : c.contact;
  }
  // A waiting time that grows each second, from the server's count (no clock skew).
  function wait(c) {
    const since = Date.now() - (c.waiting_s || 0) * 1000;
    const node = el("span.wait", { "data-since": since }, SB.duration(c.waiting_s || 0));
    return node;
  }
  function tickWaits() {
    for (const n of document.querySelectorAll(".wait[data-since]"))
      n.textContent = SB.duration((Date.now() - Number(n.dataset.since)) / 1000);
  }

  function row(c, extra) {
    return el(
      "a.conv",
      { href: "#/c/" + c.id, "data-id": c.id, "data-status": c.status },
      el("div.line", el("strong.contact", who(c)), el("span.chan", c.channel), status(c), extra),
      el("div.last", c.last_inbound_text || c.last_text || ""),
      c.last_inbound_text && c.last_text && c.last_text !== c.last_inbound_text ? el("div.reply", "↳ " + c.last_text) : null,
      el(
        "div.meta",
        c.handoff ? el("span.reason", c.handoff.reason) : null,
        c.department ? el("span.dep", "dept: " + c.department) : null,
        c.assignee ? el("span.asg", "→ " + c.assignee) : null,
        tags(c),
        el("span.when", SB.time(c.last_at_ms))
      )
    );
  }

  SB.views.queue = async function () {
    const list = await SB.api("GET", "/handoffs");
    SB.setQueueCount(list.length);
    SB.show(
      el("h2", "Handoff queue"),
      list.length
        ? el(
            "div.list#queue",
            list.map((c) =>
              row(c, [el("span.prio", "P" + c.priority), el("span.waitbox", "waiting ", wait(c))])
            )
          )
        : el("p.empty#queue", "Nobody is waiting.")
    );
    SB.every(1000, tickWaits);
  };

  SB.views.inbox = async function () {
    const f = SB.filters;
    const q = new URLSearchParams();
    for (const k of ["status", "channel", "department", "tag"]) if (f[k]) q.set(k, f[k]);
    if (f.mine) q.set("mine", "1");
    const [list, deps] = await Promise.all([
      SB.api("GET", "/conversations?" + q),
      SB.can("admin", "agent") ? SB.api("GET", "/departments") : Promise.resolve([]),
    ]);
    const change = (k) => (ev) => {
      f[k] = ev.target.type === "checkbox" ? ev.target.checked : ev.target.value.trim();
      SB.views.inbox();
    };
    const tagInput = el("input", { name: "tag", value: f.tag, placeholder: "tag", list: "tag-suggest", onchange: change("tag") });
    SB.show(
      el("h2", "Inbox"),
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
      list.length ? el("div.list#inbox", list.map((c) => row(c))) : el("p.empty", "No conversations match.")
    );
    SB.every(1000, tickWaits);
  };

  function message(m) {
    const out = m.direction === "out" && m.status ? " · " + m.status + (m.error ? ": " + m.error : "") : "";
    return el(
      "div.msg.m-" + (m.author || "contact"),
      el("div.by", (m.author_name || m.author) + " · " + SB.time(m.at_ms) + out),
      el("div.text", m.text),
      (m.attachments || []).map((a) => el("div.att", "📎 " + (a.file_name || a.media_type) + (a.caption ? " — " + a.caption : "")))
    );
  }

  async function act(id, path, body, ok) {
    const r = await SB.try(() => SB.api(path.startsWith("DELETE ") ? "DELETE" : "POST",
      "/conversations/" + id + path.replace(/^DELETE /, ""), body), ok);
    if (r) SB.views.conversation(id);
    return r;
  }

  function actions(c) {
    const id = c.id;
    const replyBox = el("textarea", { name: "text", rows: 3, required: true, placeholder: "Reply as " + SB.me.name, maxLength: 4096 });
    const reply = SB.form("reply", async () => {
      if (await act(id, "/messages", { text: replyBox.value }, "Sent")) replyBox.value = "";
    }, replyBox, el("button", { type: "submit" }, "Send reply"));
    const dep = el("select", { name: "department" });
    const agent = el("select", { name: "agent" });
    Promise.all([SB.api("GET", "/departments"), SB.api("GET", "/agents")]).then(([ds, as]) => {
      dep.append(...SB.options(ds.map((d) => [d.id, d.name]), "", "— department —"));
      agent.append(...SB.options(as.map((a) => [a.id, a.name]), "", "— agent —"));
    });
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
      el("span.suggest", TAGS.filter((t) => !(c.tags || []).includes(t)).map((t) =>
        el("button.chip", { type: "button", onclick: () => act(id, "/tags", { tag: t }, "Tagged") }, "+ " + t))));
    const btn = (label, path, ok) => el("button", { type: "button", "data-act": path.slice(1), onclick: () => act(id, path, {}, ok) }, label);
    const st = c.status;
    return el(
      "section.actions#actions",
      { "data-status": c.status, "data-tags": (c.tags || []).join("\n") },
      st !== "closed" && st !== "archived" ? reply : null,
      st !== "closed" && st !== "archived" ? assign : null,
      st !== "archived" ? tagForm : null,
      el(
        "div.buttons",
        st === "assigned" ? btn("Back to queue", "/unassign", "Back in the queue") : null,
        st !== "closed" && st !== "archived" ? btn("Close", "/close", "Closed") : null,
        st === "closed" ? btn("Archive", "/archive", "Archived") : null,
        st === "closed" || st === "archived" ? btn("Reopen", "/reopen", "Reopened") : null
      )
    );
  }

  function head(c) {
    const canAct = SB.can("admin", "agent");
    const tagChips = (c.tags || []).map((t) =>
      el("span.tag", t, canAct && c.status !== "archived"
        ? el("button.x", { type: "button", title: "remove tag " + t, "aria-label": "remove tag " + t,
            onclick: () => act(c.id, "DELETE /tags/" + encodeURIComponent(t), null, "Tag removed") }, "×")
        : null));
    return el(
      "section.convhead#conv",
      { "data-id": c.id, "data-status": c.status },
      el("h2", who(c)),
      el("div.line", el("span.chan", c.channel), status(c), el("span.prio", "P" + c.priority),
        c.status === "queued" ? el("span.waitbox", "waiting ", wait(c)) : null),
      c.handoff ? el("p.reason", "Handed off: ", el("strong", c.handoff.reason)) : null,
      el("div.meta", el("span.dep", "department: " + (c.department || "—")),
        el("span.asg", "agent: " + (c.assignee || "—"))),
      el("div.tags#tags", tagChips)
    );
  }

  // Live updates refresh the header and the history in place; the forms (a half-typed reply,
  // a chosen department) stay unless the conversation's status changed.
  SB.views.conversation = async function (id) {
    const c = await SB.api("GET", "/conversations/" + id);
    const canAct = SB.can("admin", "agent");
    const history = el("section.history#history", c.messages.map(message));
    const shown = document.getElementById("conv");
    if (shown && shown.dataset.id === String(c.id)) {
      shown.replaceWith(head(c));
      document.getElementById("history").replaceWith(history);
      const acts = document.getElementById("actions");
      if (acts && (acts.dataset.status !== c.status || acts.dataset.tags !== (c.tags || []).join("\n")))
        acts.replaceWith(actions(c));
    } else {
      SB.show(
        el("p.back", el("a", { href: "#/queue" }, "← queue"), " ", el("a", { href: "#/inbox" }, "← inbox")),
        head(c), history, canAct ? actions(c) : el("p.note", "Read-only for your role."));
      SB.every(1000, tickWaits);
    }
    history.scrollTop = history.scrollHeight;
  };
})();
