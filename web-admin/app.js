"use strict";
// Start-up, first-run setup and login, the views' router, live updates and the alert sound.
(function () {
  const { el } = SB;
  const $ = (id) => document.getElementById(id);

  function setupView() {
    const token = el("input", { name: "token", required: true, autocomplete: "off", placeholder: "from the service log" });
    const name = el("input", { name: "name", required: true, autocomplete: "username" });
    const pw = el("input", { name: "password", type: "password", required: true, minLength: 10, autocomplete: "new-password" });
    SB.show(el("h2", "First-run setup"),
      el("p", "Create the first admin account with the one-time setup token printed in the service log."),
      SB.form("setup#setup", async () => {
        const ok = await SB.try(() => SB.api("POST", "/setup", { token: token.value.trim(), name: name.value.trim(), password: pw.value }));
        if (!ok) return;
        await login(name.value.trim(), pw.value);
      }, SB.field("Setup token", token), SB.field("Admin name", name), SB.field("Password (10+ characters)", pw),
      el("button", { type: "submit" }, "Create admin")));
  }

  async function login(name, password) {
    const me = await SB.try(() => SB.api("POST", "/login", { name, password }));
    if (!me) return;
    SB.me = me;
    start();
  }
  function loginView() {
    const name = el("input", { name: "name", required: true, autocomplete: "username" });
    const pw = el("input", { name: "password", type: "password", required: true, autocomplete: "current-password" });
    SB.show(el("h2", "Log in"), SB.form("login#login", () => login(name.value.trim(), pw.value),
      SB.field("Name", name), SB.field("Password", pw), el("button", { type: "submit" }, "Log in")));
  }

  // ---- views ----
  SB.route = async function () {
    const signedIn = !!SB.me;
    $("nav").hidden = $("logout").hidden = $("alerts").hidden = $("search").hidden = !signedIn;
    if (!signedIn) $("outage").hidden = true;
    if (!signedIn) {
      closeLive();
      SB.presenceStop();
      $("who").textContent = "";
      const s = await fetch("/api/v1/setup").then((r) => r.json()).catch(() => ({}));
      return s.needed ? setupView() : loginView();
    }
    const [view, arg] = (location.hash.replace(/^#\/?/, "") || "queue").split("/");
    for (const a of document.querySelectorAll("#nav a")) {
      const roles = a.dataset.roles;
      a.hidden = !!roles && !roles.split(" ").includes(SB.me.role);
      a.classList.toggle("on", a.dataset.view === view || (/^[cp]$/.test(view) && a.dataset.view === "inbox"));
    }
    const v = SB.views[view === "c" ? "conversation" : view];
    const fn = v ? () => v(arg) : SB.views.queue;
    SB.current = fn;
    SB.inPlace = /^[cp]$/.test(view);  // a conversation or a contact keeps its forms across live updates
    SB.still = /^(canned|users|rules|search|audit)$/.test(view);  // live events change nothing there
    try {
      await fn();
    } catch (e) {
      if (SB.me) SB.show(el("p.bad", e.message));
    }
  };
  window.addEventListener("hashchange", () => {
    if (!/^#\/search\//.test(location.hash)) $("q").value = "";
    SB.route();
  });

  // Re-renders the current view soon after live events (several events share one render),
  // but not while someone is typing in it (the conversation view updates around its forms).
  let pending = null;
  function refresh() {
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      const a = document.activeElement;
      const busy = a && a.closest("#app") && a.matches("textarea, input:not([type=checkbox]):not([type=radio])") && a.value;
      refreshCount();
      if (!SB.still && (!busy || SB.inPlace)) await SB.route();
    }, 150);
  }
  async function refreshCount() {
    const q = await SB.api("GET", "/handoffs").catch(() => null);
    if (q) SB.setQueueCount(q.length);
  }
  SB.setQueueCount = function (n) {
    $("qcount").textContent = n ? String(n) : "";
    document.title = (n ? "(" + n + ") " : "") + "Switchboard";
  };

  // ---- live updates (server-sent events) ----
  let source = null;
  function openLive() {
    if (source) return;
    source = new EventSource("/api/v1/live");
    source.addEventListener("inbox", (ev) => {
      let events = [];
      try {
        events = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      SB.attend(events);
      if (events.some((e) => e.kind === "AGENT_PRESENCE" || e.kind === "AGENT_ADDED")) SB.presence();
      refresh();
    });
    source.addEventListener("activity", (ev) => {
      try {
        SB.onActivity(JSON.parse(ev.data));
      } catch (e) {
        // a malformed push is ignored
      }
    });
    source.onopen = () => ($("live").hidden = true);
    source.onerror = () => {
      $("live").textContent = "Live updates interrupted: reconnecting…";
      $("live").hidden = false;
      // The session may be gone (restart): find out, and log in again if so.
      SB.api("GET", "/me").catch(() => {});
    };
  }
  function closeLive() {
    if (source) source.close();
    source = null;
  }

  // ---- the alert sound: a beep, longer and louder when urgent (attention.js decides) ----
  let audio = null;
  function beep(urgent) {
    if (!audio) return;
    const t = audio.currentTime;
    const n = urgent ? 3 : 1;
    for (let i = 0; i < n; i++) {
      const o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = urgent ? 988 : 660;
      g.gain.setValueAtTime(urgent ? 0.5 : 0.15, t + i * 0.3);
      g.gain.exponentialRampToValueAtTime(0.001, t + i * 0.3 + (urgent ? 0.25 : 0.15));
      o.connect(g).connect(audio.destination);
      o.start(t + i * 0.3);
      o.stop(t + i * 0.3 + 0.3);
    }
  }
  SB.beep = beep;
  $("alerts").addEventListener("click", async () => {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    await audio.resume();
    if ("Notification" in window && Notification.permission === "default") await Notification.requestPermission();
    $("alerts").textContent = "Alerts on";
    beep(false);
  });
  // Any click may unlock audio (browsers only allow it after a gesture).
  document.addEventListener("click", () => {
    if (!audio && (window.AudioContext || window.webkitAudioContext)) audio = new (window.AudioContext || window.webkitAudioContext)();
  }, { once: true });

  $("logout").addEventListener("click", async () => {
    await SB.api("POST", "/logout").catch(() => {});
    SB.me = null;
    SB.route();
  });

  let healthTimer = null;
  function start() {
    $("who").textContent = SB.me.name + " · " + SB.me.role;
    SB.loadUnread();
    SB.paintUnread();
    SB.health();
    clearInterval(healthTimer);
    healthTimer = setInterval(() => SB.me && SB.health(), 3000);
    openLive();
    SB.presence();
    refreshCount();
    SB.route();
  }
  // Boot: a live session (cookie) or the login/setup page.
  fetch("/api/v1/me", { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : null))
    .then((me) => {
      SB.me = me;
      if (me) start();
      else SB.route();
    });
})();
