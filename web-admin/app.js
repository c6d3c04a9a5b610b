"use strict";
// Placeholder until the admin page lands: shows the service's health.
fetch("/healthz").then((r) => r.json()).then((h) => {
  const p = document.createElement("p");
  p.textContent = "Gateway " + h.gateway_id + " running " + h.version;
  document.getElementById("app").replaceChildren(p);
});
