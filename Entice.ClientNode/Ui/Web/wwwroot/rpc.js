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

  connect() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => { this.retry = 250; this.onSocket('open'); };
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const p of this.pending.values()) p.reject(new RpcError({ code: -32004, message: 'the page lost the client node' }));
      this.pending.clear();
      this.onSocket('closed');
      setTimeout(() => this.connect(), this.retry);
      this.retry = Math.min(this.retry * 2, 5000);
    };
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

// The socket's address: this page's host and port; the one-time token from the page's address
// (#token=... or ?token=...), passed on to the socket.
export function socketUrl(loc) {
  const token = new URLSearchParams(loc.hash.slice(1)).get('token') || new URLSearchParams(loc.search).get('token');
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${SOCKET_PATH}${token ? '?token=' + encodeURIComponent(token) : ''}`;
}
