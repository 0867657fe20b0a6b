// DEV STUB (web-host): the handshake the real page does, and a raw JSON-RPC console. See docs/JSON-RPC.md, "Over a WebSocket".
"use strict";
const log = (t) => { document.getElementById("log").textContent += t + "\n"; };
async function session() {
  const m = /token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m) {
    history.replaceState(null, "", location.pathname); // the token leaves the address bar
    const r = await fetch("/session", { method: "POST", headers: { "X-Entice-Token": m[1] } });
    if (r.ok) sessionStorage.setItem("entice.session", (await r.json()).session);
    else log("token refused: " + r.status + " " + await r.text());
  }
  return sessionStorage.getItem("entice.session");
}
(async () => {
  const secret = await session();
  if (!secret) { log("no session: open the address entice --web printed"); return; }
  const ws = new WebSocket("ws://" + location.host + "/rpc", ["entice.jsonrpc", "entice.session." + secret]);
  ws.onmessage = (e) => log("< " + e.data);
  ws.onclose = (e) => log("closed " + e.code + " " + e.reason);
  document.getElementById("f").onsubmit = (e) => { e.preventDefault(); const t = document.getElementById("line").value; log("> " + t); ws.send(t); };
})();
