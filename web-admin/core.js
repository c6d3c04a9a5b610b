"use strict";
// Shared helpers of the admin page. Every string from the server or a user goes into the page
// as a text node (textContent); nothing here ever writes HTML.
const SB = (window.SB = { me: null, views: {}, timers: [] });

// el("div.cls#id", {attr: v, onclick: fn}, child, "text", [more]) -> Element
SB.el = function (spec, attrs, ...kids) {
  const m = /^([a-z0-9]+)((?:[.#][\w-]+)*)$/i.exec(spec);
  const node = document.createElement(m ? m[1] : "div");
  for (const part of (m ? m[2] : "").match(/[.#][\w-]+/g) || []) {
    if (part[0] === ".") node.classList.add(part.slice(1));
    else node.id = part.slice(1);
  }
  if (attrs !== null && attrs !== undefined && (typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs))) {
    kids.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k in node && k !== "list") node[k] = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  SB.add(node, kids);
  return node;
};
SB.add = function (node, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k === undefined || k === null || k === false) continue;
    node.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return node;
};
SB.show = function (...kids) {
  SB.stopTimers();
  const app = document.getElementById("app");
  app.replaceChildren();
  SB.add(app, kids);
};
SB.every = function (ms, fn) {
  SB.timers.push(setInterval(fn, ms));
};
SB.stopTimers = function () {
  SB.timers.forEach(clearInterval);
  SB.timers = [];
};

SB.toast = function (text, bad = true) {
  const t = document.getElementById("toast");
  t.textContent = text;
  t.className = bad ? "bad" : "good";
  t.hidden = false;
  clearTimeout(SB.toastTimer);
  SB.toastTimer = setTimeout(() => (t.hidden = true), 5000);
};

// The JSON API. Every state change carries the session's CSRF token.
SB.api = async function (method, path, body) {
  const opts = { method, credentials: "same-origin", headers: {} };
  if (method !== "GET") {
    opts.headers["X-CSRF-Token"] = (SB.me && SB.me.csrf) || "";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body || {});
  }
  const res = await fetch("/api/v1" + path, opts);
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (res.status === 401 && !/^\/(login|setup)$/.test(path)) {
    SB.me = null;
    SB.route();
  }
  if (!res.ok) throw new Error((data && data.error) || res.status + " " + res.statusText);
  return data;
};
// Runs an action and reports its error; resolves to the result or undefined.
SB.try = async function (fn, okText) {
  try {
    const r = await fn();
    if (okText) SB.toast(okText, false);
    return r;
  } catch (e) {
    SB.toast(e.message);
  }
};

SB.duration = function (s) {
  s = Math.max(0, Math.floor(s));
  if (s < 60) return s + "s";
  if (s < 3600) return Math.floor(s / 60) + "m " + String(s % 60).padStart(2, "0") + "s";
  if (s < 86400) return Math.floor(s / 3600) + "h " + String(Math.floor(s / 60) % 60).padStart(2, "0") + "m";
  return Math.floor(s / 86400) + "d " + (Math.floor(s / 3600) % 24) + "h";
};
// Whole minutes as the server words targets: "45 s", "6 min".
SB.mins = function (ms) {
  return ms < 60000 ? Math.max(0, Math.floor(ms / 1000)) + " s" : Math.floor(ms / 60000) + " min";
};
SB.time = function (ms) {
  if (!ms) return "";
  const d = new Date(ms);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : d.toLocaleString();
};
SB.bytes = function (n) {
  const u = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) (n /= 1024), i++;
  return (i ? n.toFixed(1) : n) + " " + u[i];
};
SB.can = function (...roles) {
  return !!SB.me && roles.includes(SB.me.role);
};
// The "why" of a handoff, for people: "keyword 'refund' (rule refund)".
SB.reason = function (c) {
  return c.handoff ? c.handoff.reason || c.handoff.trigger : "";
};
SB.field = function (label, input) {
  return SB.el("label.field", SB.el("span", label), input);
};
SB.options = function (items, selected, blank) {
  const out = blank !== undefined ? [SB.el("option", { value: "" }, blank)] : [];
  for (const it of items) {
    const [value, text] = Array.isArray(it) ? it : [it, it];
    out.push(SB.el("option", { value, selected: value === selected }, text));
  }
  return out;
};
// A form whose submit runs `fn(form)`; the submit button is disabled while it runs.
SB.form = function (cls, fn, ...kids) {
  const f = SB.el("form." + cls, ...kids);
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const b = f.querySelector("button[type=submit]");
    if (b) b.disabled = true;
    try {
      await fn(f);
    } finally {
      if (b) b.disabled = false;
    }
  });
  return f;
};
