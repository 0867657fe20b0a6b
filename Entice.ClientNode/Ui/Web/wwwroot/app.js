// The Entice web page: a view of the client node it was served by. Keys, crypto and the network stay
// in the client node; this page only sends JSON-RPC requests (docs/JSON-RPC.md) over its WebSocket
// and shows what comes back. Everything a peer sends is put in the page as text (textContent after
// visible()), never as HTML.
import { Rpc, socketUrl } from './rpc.js';
import { VirtualList } from './vlist.js';
import { visible, mentions, dayLabel, timeLabel, groupDigits } from './text.js';
import { svgFromHost } from './qr.js';

const $ = (id) => document.getElementById(id);
const HISTORY_LIMIT = 200;

const state = {
  me: null,
  connection: 'connecting', // connecting | online | reconnecting | offline (page lost the client node)
  conversations: new Map(), // key ('#room' or '@name') -> conversation
  selected: null,
  peers: new Map(), // name -> 'unverified' | 'verified' | 'changed'
  ownById: new Map(), // message id -> own item
  early: new Map(), // message id -> delivery seen before the send's answer
  localId: 0,
  opened: false, // the socket was open before: an open again is a reconnect (catch up)
};

// ---- conversations and their rows -------------------------------------------------------------

function conversation(key) {
  let c = state.conversations.get(key);
  if (!c) {
    c = { key, kind: key[0] === '#' ? 'room' : 'direct', name: key.slice(1), rows: [], lastDay: null, ids: new Set(),
      unread: 0, members: new Set(), joined: false, oldest: null, moreHistory: true, loadingHistory: false, shownAtClose: null };
    state.conversations.set(key, c);
  }
  return c;
}

function estimate(text) {
  const lines = text.split('\n').length + Math.floor(text.length / 70);
  return 30 + 20 * lines;
}

function rowsFor(items) {
  const rows = [];
  let day = null;
  for (const item of items) {
    const d = item.time.toDateString();
    if (d !== day) { rows.push({ sep: true, label: dayLabel(item.time), h: 34 }); day = d; }
    rows.push(item);
  }
  return { rows, day };
}

// Every message has one id (docs/JSON-RPC.md): the notification's, the send answer's and the kept
// history's are the same, so a message is shown once however it came.
function known(c, id) {
  return typeof id === 'string' && c.ids.has(id);
}

function append(c, item) {
  if (item.id) c.ids.add(item.id);
  const d = item.time.toDateString();
  if (d !== c.lastDay) { c.rows.push({ sep: true, label: dayLabel(item.time), h: 34 }); c.lastDay = d; }
  c.rows.push(item);
  if (c === state.selected) list.setRows(c.rows, item.own);
}

function prepend(c, items) {
  insert(c, 0, items);
}

// Puts items among the shown ones at place at (0: before all), day separators redone.
function insert(c, at, items) {
  for (const it of items) if (it.id) c.ids.add(it.id);
  const current = c.rows.filter((r) => !r.sep);
  const { rows, day } = rowsFor(current.slice(0, at).concat(items, current.slice(at)));
  c.rows = rows;
  c.lastDay = day;
  if (c === state.selected) list.setRows(c.rows, false);
}

function item(fields) {
  const text = typeof fields.text === 'string' ? fields.text : '';
  const t = new Date(fields.time);
  return { id: fields.id, from: fields.from || '', text, own: !!fields.own, time: isNaN(t) ? new Date() : t,
    delivery: fields.delivery || 'none', recipients: fields.recipients || 0, deliveredTo: new Set(), h: estimate(text) };
}

// ---- rendering ---------------------------------------------------------------------------------

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function renderRow(row) {
  if (row.sep) return el('div', 'day', row.label);
  const m = el('div', row.own ? 'msg own' : 'msg');
  if (row.id) m.dataset.id = row.id;
  const head = el('div', 'msg-head');
  head.append(el('span', 'from', visible(row.from)), el('time', 'time', timeLabel(row.time)));
  if (row.own) head.append(el('span', 'ticks ' + row.delivery, ticks(row.delivery)));
  const body = el('div', 'text', visible(row.text, true));
  if (!row.own && state.me && mentions(row.text, state.me)) m.classList.add('mention');
  m.append(head, body);
  return m;
}

function ticks(delivery) {
  return delivery === 'delivered' ? '✓✓' : delivery === 'sent' ? '✓' : delivery === 'failed' ? '!' : '…';
}

const list = new VirtualList($('messages'), $('messages-content'), renderRow);

let conversationsQueued = false;
function renderConversationsSoon() {
  if (conversationsQueued) return;
  conversationsQueued = true;
  requestAnimationFrame(() => { conversationsQueued = false; renderConversations(); });
}

function renderConversations() {
  const nav = $('conversations');
  nav.replaceChildren();
  const all = [...state.conversations.values()].filter((c) => c.kind === 'direct' || c.joined);
  all.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'room' ? -1 : 1));
  for (const c of all) {
    const b = el('button', 'conv' + (c === state.selected ? ' selected' : ''));
    b.type = 'button';
    b.dataset.key = c.key;
    b.append(el('span', 'conv-name', (c.kind === 'room' ? '#' : '@') + visible(c.name)));
    if (blockedBy(c).length) b.append(el('span', 'conv-warn', '⚠'));
    if (c.unread) b.append(el('span', 'unread', String(c.unread)));
    b.addEventListener('click', () => { select(c); document.body.classList.remove('show-sidebar'); });
    nav.append(b);
  }
  const total = all.reduce((n, c) => n + c.unread, 0);
  document.title = total ? `(${total}) Entice` : 'Entice';
}

function renderMembers() {
  const ul = $('member-list');
  ul.replaceChildren();
  const c = state.selected;
  if (!c) return;
  const names = c.kind === 'room' ? [...c.members].sort() : [c.name];
  for (const name of names) {
    const li = el('li', 'member');
    li.dataset.name = name;
    const who = el('button', 'member-name', visible(name) + (name === state.me ? ' (you)' : ''));
    who.type = 'button';
    if (name !== state.me) who.addEventListener('click', () => select(conversation('@' + name)));
    li.append(who);
    if (name !== state.me) {
      const s = state.peers.get(name) || 'unverified';
      const badge = el('button', 'badge ' + s, s === 'changed' ? '⚠ key changed' : s === 'verified' ? '✔ verified' : 'not verified');
      badge.type = 'button';
      badge.title = 'Safety number';
      badge.addEventListener('click', () => openSafety(name));
      li.append(badge);
    }
    ul.append(li);
  }
}

function renderHeader() {
  const c = state.selected;
  $('title').textContent = c ? (c.kind === 'room' ? '#' : '@') + visible(c.name) : 'Entice';
  const blocked = c ? blockedBy(c) : [];
  const warn = $('key-warning');
  warn.hidden = blocked.length === 0;
  if (blocked.length) {
    const who = blocked.map((n) => visible(n)).join(', ');
    $('key-warning-text').textContent = `The safety number with ${who} changed: their key is new (a new device, or someone in between). ` +
      (c.kind === 'direct' ? `Nothing can be sent to ${who} until you accept the new key` : `${who} will not get your messages here until you accept the new key`) +
      '; compare safety numbers first.';
    warn.dataset.peer = blocked[0];
  }
  // The client node encrypts nothing to a changed key until it is trusted: a direct conversation with
  // them is held here; a room still reaches everyone else (the warning says who is left out).
  const held = !!c && c.kind === 'direct' && blocked.length > 0;
  const canSend = !!c && !held && (c.kind === 'direct' || c.joined);
  $('input').disabled = !canSend;
  $('send').disabled = !canSend;
  $('input').placeholder = held ? 'Sending is held until the new key is accepted' : 'Message (Enter sends, Shift+Enter new line)';
  $('empty').hidden = !c || c.rows.length > 0;
}

function renderConnection() {
  const s = $('conn');
  s.dataset.state = state.connection;
  s.textContent = { connecting: 'connecting', online: 'online', reconnecting: 'reconnecting…', offline: 'offline: reconnecting to the client node…' }[state.connection];
  $('me-name').textContent = state.me ? visible(state.me) : 'entice';
}

function renderAll() {
  renderConversations();
  renderMembers();
  renderHeader();
  renderConnection();
}

function select(c) {
  state.selected = c;
  if (c.unread) markRead(c);
  c.unread = 0;
  list.setRows(c.rows, true);
  renderAll();
  if (c.kind === 'direct' && c.oldest === null && c.moreHistory) loadHistory(c);
}

// People whose changed key holds sending in c: the peer of a direct conversation, or members of a room.
function blockedBy(c) {
  const names = c.kind === 'room' ? [...c.members] : [c.name];
  return names.filter((n) => n !== state.me && state.peers.get(n) === 'changed');
}

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 5000);
}

// ---- talking to the client node ----------------------------------------------------------------

const rpc = new Rpc(socketUrl(location), onNotification, onSocket);
// Rooms joined or left while the rooms list is being asked for: the answer may predate them, so they are
// applied again after it (else a room entered while the page opened would be hidden until the next reload).
let roomNews = null;

function roomEntered(room) {
  const c = conversation('#' + room);
  c.joined = true;
  if (roomNews) roomNews.push([room, true]);
  loadMembers(room);
  if (!state.selected) select(c); else renderConversations();
}

async function onSocket(what, why) {
  if (what === 'closed') {
    if (state.opened) for (const c of state.conversations.values()) if (c.shownAtClose === null) c.shownAtClose = c.rows.filter((r) => !r.sep).length;
    state.connection = 'offline';
    renderConnection();
    if (why) { toast(why); ready(); }
    return;
  }
  if (!performance.getEntriesByName('entice-socket').length) performance.mark('entice-socket');
  try {
    // Asked together: one round trip for who we are, the rooms and the conversations.
    roomNews = [];
    const [st, { rooms }] = await Promise.all([rpc.call('status').catch(() => null), rpc.call('rooms'), loadConversations()]);
    if (st) {
      if (typeof st.name === 'string') state.me = st.name;
      state.connection = { online: 'online', reconnecting: 'reconnecting', stopped: 'offline' }[st.connection] || 'connecting';
    } else if (state.connection === 'offline') {
      state.connection = 'connecting';
    }
    renderConnection();
    for (const c of state.conversations.values()) if (c.kind === 'room') c.joined = false;
    for (const room of rooms) conversation('#' + room).joined = true;
    for (const [room, joined] of roomNews) conversation('#' + room).joined = joined;
    roomNews = null;
    await Promise.all(rooms.map((room) => loadMembers(room)));
    if (!state.selected && rooms.length) state.selected = conversation('#' + rooms[0]);
    renderAll();
    if (state.selected) { list.setRows(state.selected.rows, true); markRead(state.selected); }
    ready(); // rooms, members and the input are there: usable
    if (state.opened) {
      // Back after the socket was down: what came meanwhile, after the last message shown.
      await Promise.all([...state.conversations.values()].map((c) => catchUp(c)));
    } else {
      state.opened = true;
      await Promise.all(rooms.map((room) => loadHistory(conversation('#' + room))));
    }
    if (!performance.getEntriesByName('entice-history').length) performance.mark('entice-history');
  } catch (e) {
    roomNews = null;
    toast(e.message);
  }
  ready();
  document.documentElement.dataset.history = '1';
}

function ready() {
  if (document.documentElement.dataset.ready) return;
  document.documentElement.dataset.ready = '1';
  performance.mark('entice-ready');
}

// Direct conversations and unread counts the client node kept while no page was open.
async function loadConversations() {
  try {
    const r = await rpc.call('conversations');
    for (const x of r.conversations || []) {
      if (typeof x.conversation !== 'string' || x.conversation.length < 2) continue;
      const c = conversation(x.conversation);
      if (c !== state.selected && Number.isInteger(x.unread)) c.unread = x.unread;
    }
  } catch { /* an older client node: no conversations method */ }
}

let readTimer = null;
function markReadSoon(c) {
  if (readTimer) return;
  readTimer = setTimeout(() => { readTimer = null; if (state.selected === c) markRead(c); }, 500);
}

function markRead(c) {
  rpc.call('read', c.kind === 'room' ? { room: c.name } : { with: c.name }).catch(() => {});
}

async function loadMembers(room) {
  try {
    const r = await rpc.call('members', { room });
    setMembers(conversation('#' + room), r.details || r.members);
  } catch { /* left meanwhile */ }
}

function setMembers(c, members) {
  c.members = new Set();
  for (const m of members || []) {
    // Names, or objects with the verification state (web host: {name, state}).
    const name = typeof m === 'string' ? m : m && m.name;
    if (typeof name !== 'string') continue;
    c.members.add(name);
    const s = m && m.key; // details: unverified | verified | trusted | changed
    if (s === 'verified' || s === 'changed') state.peers.set(name, s);
    else if (s === 'unverified' || s === 'trusted') state.peers.set(name, 'unverified');
    if (m && m.you === true) state.me = name;
  }
  if (c === state.selected) { renderMembers(); renderHeader(); }
}

async function loadHistory(c) {
  if (c.loadingHistory || !c.moreHistory) return;
  c.loadingHistory = true;
  try {
    const params = c.kind === 'room' ? { room: c.name } : { with: c.name };
    params.limit = HISTORY_LIMIT;
    if (c.oldest) params.before = c.oldest;
    const r = await rpc.call('history', params);
    const items = (r.messages || []).map((m) => item({ ...m, time: m.sent_at })).filter((it) => !known(c, it.id));
    for (const it of items) if (it.own && it.id) state.ownById.set(it.id, it);
    if ((r.messages || []).length < HISTORY_LIMIT) c.moreHistory = false;
    if (r.messages && r.messages.length) c.oldest = r.messages[0].id;
    if (items.length) prepend(c, items);
  } catch {
    c.moreHistory = false; // nothing kept (-32006) or not in the room
  } finally {
    c.loadingHistory = false;
  }
  if (c === state.selected) renderHeader();
}

// After a reconnect: the kept messages after the last one this page showed before its socket went
// down (history "after", page by page), put where the socket went down, each id once. A last message
// the client node did not keep (a topic) is skipped for the one before it.
async function catchUp(c) {
  const at = c.shownAtClose;
  c.shownAtClose = null;
  if (at === null) return;
  const shown = c.rows.filter((r) => !r.sep).slice(0, at);
  const candidates = shown.filter((r) => typeof r.id === 'string' && !r.id.startsWith('local-')).slice(-5).reverse();
  if (!candidates.length) { c.moreHistory = true; c.oldest = null; await loadHistory(c); return; }
  const params = c.kind === 'room' ? { room: c.name } : { with: c.name };
  const found = [];
  for (const last of candidates) {
    let after = last.id;
    try {
      for (let page = 0; page < 50; page++) {
        const r = await rpc.call('history', { ...params, limit: HISTORY_LIMIT, after });
        const ms = r.messages || [];
        found.push(...ms);
        if (ms.length < HISTORY_LIMIT) break;
        after = ms[ms.length - 1].id;
      }
      break;
    } catch (e) {
      if (!e || e.code !== -32602) return; // nothing kept, or the socket went again
    }
  }
  const items = [];
  for (const m of found) {
    const it = item({ ...m, time: m.sent_at });
    if (known(c, it.id) || items.some((x) => x.id === it.id)) continue;
    if (it.own && it.id) state.ownById.set(it.id, it);
    items.push(it);
  }
  if (!items.length) return;
  insert(c, at, items);
  if (c === state.selected) { list.setRows(c.rows, true); renderHeader(); }
}

$('messages').addEventListener('scroll', () => {
  const c = state.selected;
  if (c && $('messages').scrollTop < 200 && c.moreHistory && c.oldest) loadHistory(c);
}, { passive: true });

function onNotification(method, p) {
  switch (method) {
    case 'ready':
      state.me = p.name;
      state.connection = 'online';
      // Its first room comes with "ready", not as "room_joined": a page opened before that lists it here.
      if (typeof p.room === 'string' && p.room) roomEntered(p.room);
      renderAll();
      break;
    case 'room_joined':
      roomEntered(p.room);
      break;
    case 'room_left': {
      const c = conversation('#' + p.room);
      c.joined = false;
      if (roomNews) roomNews.push([p.room, false]);
      if (state.selected === c) state.selected = null;
      renderAll();
      break;
    }
    case 'members': setMembers(conversation('#' + p.room), p.details || p.members); break;
    case 'read': {
      const c = state.conversations.get(p.conversation);
      if (c && c.unread) { c.unread = 0; renderConversationsSoon(); }
      break;
    }
    case 'joined': conversation('#' + p.room).members.add(p.name); memberChange(p.room); break;
    case 'left': conversation('#' + p.room).members.delete(p.name); memberChange(p.room); break;
    case 'message': received(p); break;
    case 'sent':
      if (!state.ownById.has(p.id)) sentElsewhere(p);
      delivery(p.id, (it) => { if (it.delivery !== 'delivered') it.delivery = 'sent'; });
      break;
    case 'delivered': delivery(p.id, (it) => {
      it.deliveredTo.add(p.to);
      if (it.deliveredTo.size >= Math.max(1, it.recipients)) it.delivery = 'delivered';
    }); break;
    case 'key_changed': state.peers.set(p.peer, 'changed'); renderAll(); break;
    case 'trusted': state.peers.set(p.peer, 'unverified'); renderAll(); break;
    case 'verified': state.peers.set(p.peer, 'verified'); renderAll(); refreshSafety(p.peer); break;
    case 'safety_number': break;
    case 'disconnected': state.connection = 'reconnecting'; renderConnection(); break;
    case 'reconnected': state.connection = 'online'; renderConnection(); break;
    case 'error': toast(typeof p.message === 'string' ? visible(p.message) : 'error'); break;
    case 'stopped': state.connection = 'offline'; renderConnection(); break;
    default: break;
  }
}

function memberChange(room) {
  if (state.selected && state.selected.key === '#' + room) { renderMembers(); renderHeader(); }
}

// An own message another tab (or program) of this client node sent: shown here too.
function sentElsewhere(p) {
  if (typeof p.text !== 'string' || typeof p.conversation !== 'string' || p.conversation.length < 2 || typeof p.id !== 'string') return;
  const c = conversation(p.conversation);
  if (known(c, p.id)) return;
  const it = item({ id: p.id, from: p.from || state.me || 'me', text: p.text, own: true, time: p.sent_at || p.time,
    delivery: 'sent', recipients: p.recipients });
  state.ownById.set(p.id, it);
  append(c, it);
  renderConversationsSoon();
  if (c === state.selected) renderHeader();
}

function received(p) {
  const key = typeof p.conversation === 'string' ? p.conversation : p.direct ? '@' + p.from : '#' + p.room;
  const c = conversation(key);
  if (known(c, p.id)) return;
  const it = item({ id: p.id, from: p.from, text: p.text, time: p.sent_at || p.time });
  append(c, it);
  shownMark(p);
  const looking = c === state.selected && !document.hidden;
  if (!looking) c.unread++;
  else markReadSoon(c);
  renderConversationsSoon();
  if (c === state.selected) renderHeader();
  if ((p.direct || (state.me && mentions(it.text, state.me))) && !looking) notify(c, it);
}

// For measuring (README "Web page"): when the frame that shows the newest received message is drawn,
// with the client node's notification time (p.time). One mark kept (no growth with the conversation).
function shownMark(p) {
  requestAnimationFrame(() => {
    performance.clearMarks('entice-shown');
    performance.mark('entice-shown', { detail: { id: p.id, time: p.time } });
  });
}

function delivery(id, change) {
  const it = state.ownById.get(id);
  if (!it) {
    const early = state.early.get(id) || [];
    early.push(change);
    state.early.set(id, early);
    return;
  }
  change(it);
  list.update(it);
}

async function send(text) {
  const c = state.selected;
  if (!c || !text) return;
  const it = item({ id: 'local-' + ++state.localId, from: state.me || 'me', text, own: true, time: new Date(), delivery: 'sending' });
  append(c, it);
  $('empty').hidden = true;
  try {
    const r = await rpc.call('send', c.kind === 'room' ? { room: c.name, text } : { to: c.name, text });
    it.id = r.id;
    c.ids.add(r.id);
    it.recipients = r.recipients || 0;
    it.delivery = 'sent';
    state.ownById.set(r.id, it);
    for (const change of state.early.get(r.id) || []) change(it);
    state.early.delete(r.id);
  } catch (e) {
    it.delivery = 'failed';
    toast(visible(e.message));
  }
  list.update(it);
}

// ---- desktop notifications ---------------------------------------------------------------------

function notify(c, it) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const n = new Notification(c.kind === 'room' ? `${visible(it.from)} in #${visible(c.name)}` : visible(it.from),
    { body: visible(it.text).slice(0, 200), tag: c.key });
  n.onclick = () => { window.focus(); select(c); n.close(); };
}

function setupNotifications() {
  const b = $('notify-toggle');
  if (!('Notification' in window) || Notification.permission !== 'default') return;
  b.hidden = false;
  b.addEventListener('click', async () => {
    await Notification.requestPermission();
    b.hidden = Notification.permission === 'default';
  });
}

// ---- safety numbers ----------------------------------------------------------------------------

let safetyPeer = null;

async function openSafety(name) {
  safetyPeer = name;
  $('safety-peer').textContent = visible(name);
  $('safety-peer-2').textContent = visible(name);
  $('safety-digits').replaceChildren();
  $('safety-qr').replaceChildren();
  refreshSafety(name);
  const dialog = $('safety-dialog');
  if (!dialog.open) dialog.showModal();
  try {
    const r = await rpc.call('verify', { name });
    if (safetyPeer !== name) return;
    const digits = $('safety-digits');
    for (const group of groupDigits(r.safety_number)) digits.append(el('span', 'group', group));
    const svg = typeof r.qr_svg === 'string' ? svgFromHost(r.qr_svg) : null;
    if (svg) $('safety-qr').append(svg);
    else $('safety-qr').append(el('p', 'hint', 'No QR code from this client node.'));
  } catch (e) {
    $('safety-digits').append(el('p', 'hint', visible(e.message)));
  }
}

function refreshSafety(name) {
  if (safetyPeer !== name) return;
  const s = state.peers.get(name) || 'unverified';
  $('safety-state').textContent = s === 'verified' ? 'You have verified this safety number.'
    : s === 'changed' ? 'This safety number changed: compare it again before accepting the new key.' : 'Not verified yet.';
  $('safety-verify').disabled = s === 'verified';
}

$('safety-verify').addEventListener('click', async () => {
  const name = safetyPeer;
  try {
    if (state.peers.get(name) === 'changed') await rpc.call('trust', { name });
    await rpc.call('mark_verified', { name });
    state.peers.set(name, 'verified');
    renderAll();
    refreshSafety(name);
  } catch (e) { toast(visible(e.message)); }
});

$('key-compare').addEventListener('click', () => openSafety($('key-warning').dataset.peer));
$('key-accept').addEventListener('click', async () => {
  const name = $('key-warning').dataset.peer;
  try {
    await rpc.call('trust', { name });
    if (state.peers.get(name) === 'changed') state.peers.set(name, 'unverified');
    renderAll();
  } catch (e) { toast(visible(e.message)); }
});

// ---- input, theme, layout ----------------------------------------------------------------------

const input = $('input');
function grow() {
  input.style.height = 'auto';
  input.style.height = Math.min(input.scrollHeight, 200) + 'px';
}
input.addEventListener('input', grow);
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $('composer').requestSubmit();
  }
});
$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value;
  if (!text.trim() || input.disabled) return;
  input.value = '';
  grow();
  send(text);
});

$('join-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const room = $('join-room').value.trim().replace(/^#/, '');
  if (!room) return;
  try {
    const r = await rpc.call('join', { room });
    $('join-room').value = '';
    const c = conversation('#' + r.room);
    c.joined = true;
    await loadMembers(r.room);
    select(c);
  } catch (err) { toast(visible(err.message)); }
});

const THEMES = ['auto', 'light', 'dark'];
function applyTheme(t) {
  if (t === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
  $('theme-toggle').textContent = 'Theme: ' + t;
}
let theme = localStorage.getItem('entice-theme');
if (!THEMES.includes(theme)) theme = 'auto';
applyTheme(theme);
$('theme-toggle').addEventListener('click', () => {
  theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  localStorage.setItem('entice-theme', theme);
  applyTheme(theme);
});

$('menu-button').addEventListener('click', () => document.body.classList.toggle('show-sidebar'));
$('members-button').addEventListener('click', () => document.body.classList.toggle('show-members'));
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.selected && state.selected.unread) { markRead(state.selected); state.selected.unread = 0; renderConversations(); }
});

setupNotifications();
renderAll();
rpc.connect();
