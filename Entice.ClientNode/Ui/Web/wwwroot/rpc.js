// JSON-RPC 2.0 over the client node's WebSocket (docs/JSON-RPC.md): one JSON object per text frame.
// Answers are matched by id (they may come out of order); everything else is a notification.

export const SOCKET_PATH = '/rpc';

export class RpcError extends Error {
  constructor(error) {
    super(error && typeof error.message === 'string' ? error.message : 'error');
    this.code = error && error.code;
    this.data = error && error.data;
  }
}

export class Rpc {
  // onNotification(method, params); onSocket('open' | 'closed')
  constructor(url, onNotification, onSocket) {
    this.url = url;
    this.onNotification = onNotification;
    this.onSocket = onSocket;
    this.nextId = 1;
    this.pending = new Map();
    this.retry = 250;
    this.ws = null;
  }

  async connect() {
    let ws;
    try {
      const secret = await session();
      ws = new WebSocket(this.url, ['entice.jsonrpc', 'entice.session.' + secret]);
    } catch (e) {
      this.onSocket('closed', e.message);
      if (!e.fatal) this.reconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => { this.retry = 250; this.onSocket('open'); };
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const p of this.pending.values()) p.reject(new RpcError({ code: -32004, message: 'the page lost the client node' }));
      this.pending.clear();
      this.onSocket('closed');
      this.reconnect();
    };
  }

  reconnect() {
    setTimeout(() => this.connect(), this.retry);
    this.retry = Math.min(this.retry * 2, 5000);
  }

  receive(data) {
    if (typeof data !== 'string') return;
    let msg;
    try { msg = JSON.parse(data); } catch { return; }
    if (!msg || typeof msg !== 'object') return;
    if (typeof msg.method === 'string') {
      this.onNotification(msg.method, msg.params && typeof msg.params === 'object' ? msg.params : {});
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.reject(new RpcError(msg.error));
    else p.resolve(msg.result);
  }

  call(method, params) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new RpcError({ code: -32015, message: 'not connected to the client node' }));
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params: params || {} }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }
}

// The socket's address: this page's host and port (docs/JSON-RPC.md, "Over a WebSocket").
export function socketUrl(loc) {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}${SOCKET_PATH}`;
}

function fatal(message) {
  const e = new Error(message);
  e.fatal = true;
  return e;
}

const SESSION_KEY = 'entice-session';

// The session secret: kept in this tab's sessionStorage; the first time, exchanged once for the
// one-time token in the address's fragment (#token=...), which is then removed from the address bar.
async function session() {
  const kept = sessionStorage.getItem(SESSION_KEY);
  if (kept) return kept;
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) throw fatal('no token in this address: open the one entice --web printed');
  history.replaceState(null, '', location.pathname + location.search);
  const r = await fetch('/session', { method: 'POST', headers: { 'X-Entice-Token': token }, cache: 'no-store' });
  if (r.status === 401 || r.status === 403) throw fatal('this address was used already: open the one entice --web printed last');
  if (!r.ok) throw new Error('the client node refused the session: ' + r.status);
  const { session: secret } = await r.json();
  if (typeof secret !== 'string' || !secret) throw new Error('no session from the client node');
  sessionStorage.setItem(SESSION_KEY, secret);
  return secret;
}
