// The chat page: plain JavaScript, no build step, no library. It speaks protocol v1 on /ws.
//
// Rules this file keeps:
//  - Every string from the network is put on the page with textContent, never innerHTML, so a
//    message like <img src=x onerror=alert(1)> shows as those characters. Links are <a> nodes made
//    from a strict http(s) match, with the text as their textContent.
//  - When the connection drops the page says so in words, reconnects with capped, jittered backoff,
//    logs in again (taking its name over at once with the resume token) and rejoins its rooms with
//    "since" and "epoch"; messages are deduplicated by seq within an epoch, so each missed message
//    appears once, in order, and a room that started over on the server is not mistaken for copies.
//  - What the person typed is never lost: sends go through an outbox, one at a time, with an
//    idempotent id; a rate-limited send waits and goes again; a refused one comes back to the composer.
//  - The sidebar is updated in place (keyed nodes), never rebuilt, so keyboard focus stays put.
//  - The session (name, resume token, rooms with seq and epoch, whispers, the outbox) lives in
//    sessionStorage: a reload (per tab) comes back where it was.
'use strict';

(() => {
  // ---- settings ----
  const RECONNECT_BASE_MS = 500;      // first retry after 0.25 to 0.5 s
  const RECONNECT_CAP_MS = 15000;     // never wait longer than 15 s between tries
  const ROOMS_REFRESH_MS = 10000;     // member counts of other rooms; new rooms come by "room" events
  const ROOMS_DEBOUNCE_MS = 300;      // room events are coalesced into one "rooms" request
  const ONLINE_REFRESH_MS = 20000;    // whisper partners' online status
  const TYPING_SEND_MS = 2000;        // at most one typing request per room this often (the server's budget)
  const TYPING_SHOW_MS = 6000;        // "ann is typing…" lasts this long without a new event
  const TOAST_MS = 5000;
  const MAX_TEXT = 4096;              // code points, as the server counts
  const COUNTER_FROM = 3600;          // the counter shows from here on
  const MAX_NAME = 32;
  const KEEP_ENTRIES = 500;           // per conversation on the page
  const STORE_ENTRIES = 100;          // per conversation in sessionStorage
  const STORE_KEY = 'chat.session.v1';
  const DEFAULT_ROOM = 'lobby';
  const ROOM_NAME = /^[a-z0-9_-]{1,64}$/;
  // The names rule of the protocol: a letter, then letters, combining marks, decimal digits, _ or -.
  const NAME_RULE = /^\p{L}[\p{L}\p{M}\p{Nd}_-]*$/u;
  const NAME_CHAR = '[\\p{L}\\p{M}\\p{Nd}_-]';

  const ERROR_WORDS = {
    bad_json: 'The server could not read what the page sent.',
    bad_request: 'The server refused a request it could not use (a field was missing or empty).',
    unknown_type: 'The server does not know that kind of request.',
    not_logged_in: 'You are not logged in yet.',
    name_taken: 'Someone online already has that name. Pick another one.',
    bad_name: 'A name is 1 to 32 characters: a letter first, then letters, digits, _ or -.',
    bad_room: 'A room name is 1 to 64 characters: a to z, 0 to 9, _ and -.',
    not_in_room: 'You are not in that room; join it first.',
    too_long: 'That message is longer than the server accepts.',
    no_such_user: 'Nobody with that name is online.',
    rate_limited: 'You are sending too fast.',
    forbidden: 'The server does not allow that.',
    unavailable: 'The chat is unavailable for a moment; try again.',
  };

  // What a WebSocket close code means, in words (never the bare number).
  function closeWords(code, reason) {
    switch (code) {
      case 1000: return 'The server closed the connection.';
      case 1001: return 'The server is restarting or shutting down.';
      case 1008: return 'The server dropped this page' + (reason ? ' (' + reason + ').' : '.');
      case 1009: return 'The server refused a message that was too big.';
      case 1011: return 'The server ran into an error.';
      case 1012: return 'The server restarted part of the chat.';
      case 1013: return 'The server is busy right now.';
      case 4000: return 'You opened this chat in another tab or window, so it stopped here.';
      case 4001: return 'The server removed you from the chat' + (reason && reason !== 'kicked' ? ' (' + reason + ').' : '.');
      default: return 'The connection to the server was lost.';
    }
  }

  // ---- state ----
  // Conversations are rooms ("#java") and whispers with one person ("@bob"); key -> conversation.
  const conversations = new Map();
  const state = {
    name: null,              // the name we are logged in with (as the server spelled it)
    wantedName: null,        // the name typed in the form (or restored)
    resume: null,            // the resume token of the last welcome
    socket: null,
    loggedIn: false,
    everLoggedIn: false,
    attempt: 0,              // reconnect attempts since the last welcome
    lostWhy: null,           // why the connection was lost first, kept until the next welcome
    reconnectTimer: null,
    reconnectAt: 0,
    countdownTimer: null,
    roomsTimer: null,
    roomsDebounce: null,
    onlineTimer: null,
    current: null,           // key of the conversation on screen
    leftLobby: false,        // the user left the lobby; leave it again after each re-login
    nextRef: 1,
    pending: new Map(),      // ref -> what the request was, to word its reply
    allRooms: [],            // [{name, members}] from the last "rooms" reply
    roomsTotal: 0,
    outbox: [],              // [{id, type, room|to, text, key, typed, ref, inFlight}] sent one at a time
    outboxTimer: null,
    hiddenUnread: 0,         // messages from others that came while the tab was hidden
    noTyping: false,         // the server does not know "typing" (feature detection)
    noOnline: false,         // the server does not know "online"
    online: new Set(),       // lower-cased names known online (from "online" replies)
  };

  const $ = (id) => document.getElementById(id);
  const el = {};
  for (const id of ['login-view', 'login-form', 'login-name', 'login-error', 'login-submit', 'chat-view',
    'menu-button', 'menu-badge', 'conversation-title', 'conversation-subtitle', 'status', 'status-text',
    'leave-button', 'banner', 'banner-text', 'retry-button', 'sidebar', 'scrim', 'me-avatar', 'me-name',
    'my-rooms', 'join-form', 'join-room', 'other-rooms', 'no-other-rooms', 'more-rooms', 'dm-list', 'no-dms',
    'members-section', 'members-room', 'members-count', 'members', 'messages', 'jump-button', 'typing', 'composer',
    'composer-input', 'composer-note', 'composer-counter', 'send-button', 'toast', 'notify-button']) {
    el[id.replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = $(id);
  }

  // ---- small helpers ----
  const roomKey = (room) => '#' + room;
  const dmKey = (peer) => '@' + peer.toLowerCase();
  const sameName = (a, b) => a != null && b != null && a.toLowerCase() === b.toLowerCase();
  const codePoints = (text) => { let n = 0; for (const _ of text) n++; return n; };
  const drawerMode = () => window.matchMedia('(max-width: 760px)').matches;
  const number = (n) => n.toLocaleString('en-US');
  const newId = () => {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  function node(tag, className, text) {
    const n = document.createElement(tag);
    if (className) n.className = className;
    if (text != null) n.textContent = String(text);
    return n;
  }

  function srOnly(text) { return node('span', 'sr-only', text); }

  function hue(name) {
    let h = 0;
    for (const ch of name.toLowerCase()) h = (h * 31 + ch.codePointAt(0)) >>> 0;
    return h % 360;
  }

  function avatar(name, extraClass) {
    const a = node('span', 'avatar' + (extraClass ? ' ' + extraClass : ''), Array.from(name)[0].toUpperCase());
    a.style.setProperty('--hue', String(hue(name)));
    a.setAttribute('aria-hidden', 'true');
    return a;
  }

  function clock(ts) {
    const d = new Date(typeof ts === 'number' ? ts : Date.now());
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function dayKey(ts) {
    const d = new Date(ts);
    return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
  }

  function dayLabel(ts) {
    const today = new Date();
    const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
    if (dayKey(ts) === dayKey(today.getTime())) return 'Today';
    if (dayKey(ts) === dayKey(yesterday.getTime())) return 'Yesterday';
    const d = new Date(ts);
    return d.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long',
      year: d.getFullYear() === today.getFullYear() ? undefined : 'numeric' });
  }

  function describeError(msg, req) {
    let words = ERROR_WORDS[msg.code] || msg.message || ('The server said: ' + msg.code);
    if (msg.code === 'no_such_user' && req && req.to) words = req.to + ' is not online.';
    if (!req) return words;
    switch (req.type) {
      case 'join': return 'Could not join #' + req.room + ': ' + words;
      case 'leave': return 'Could not leave #' + req.room + ': ' + words;
      default: return words;
    }
  }

  let toastTimer = null;
  function toast(text) {
    el.toast.textContent = text;
    el.toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.toast.hidden = true; }, TOAST_MS);
  }

  // ---- message text: links and mentions as DOM nodes, everything else as text ----
  // A link is an http or https URL (scheme, then "://") up to a space or a character that cannot end a URL in prose;
  // the match must parse as a URL with that scheme, else it stays text. Nothing else is a link.
  const URL_MATCH = /\bhttps?:\/\/[^\s<>"'`]+/giu;
  const TRAILING = /[.,;:!?'"»”’]+$/u;

  function trimUrl(raw) {
    let s = raw.replace(TRAILING, '');
    // A closing bracket ends the URL unless the URL opened one (as in a wiki URL whose last segment is in brackets).
    for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']]) {
      while (s.endsWith(close) && s.split(close).length > s.split(open).length) s = s.slice(0, -1).replace(TRAILING, '');
    }
    return s;
  }

  function safeUrl(s) {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function mentionPattern() {
    if (!state.name) return null;
    const escaped = state.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp('(^|[^\\p{L}\\p{M}\\p{Nd}_@-])(@' + escaped + ')(?!' + NAME_CHAR + ')', 'giu');
  }

  function mentionsMe(text) {
    const p = mentionPattern();
    return p != null && p.test(text);
  }

  function appendWithMentions(parent, text) {
    const p = mentionPattern();
    if (!p) { parent.append(text); return; }
    let last = 0;
    for (const m of text.matchAll(p)) {
      const start = m.index + m[1].length;
      if (start > last) parent.append(text.slice(last, start));
      parent.append(node('mark', 'mention-name', m[2]));
      last = start + m[2].length;
    }
    if (last < text.length) parent.append(text.slice(last));
  }

  function richText(text) {
    const div = node('div', 'msg-text');
    div.dir = 'auto';
    let last = 0;
    for (const m of text.matchAll(URL_MATCH)) {
      const raw = trimUrl(m[0]);
      const href = safeUrl(raw);
      if (!href) continue;
      if (m.index > last) appendWithMentions(div, text.slice(last, m.index));
      const a = node('a', 'msg-link', raw);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      div.append(a);
      last = m.index + raw.length;
    }
    if (last < text.length) appendWithMentions(div, text.slice(last));
    return div;
  }

  // ---- the session in sessionStorage (per tab: survives a reload, not a new tab) ----
  let saveTimer = null;
  function saveSoon() {
    if (saveTimer) return;
    saveTimer = setTimeout(saveNow, 300);
  }

  function storedEntries(c) {
    return c.entries.filter((e) => e.kind === 'message' || e.kind === 'direct').slice(-STORE_ENTRIES)
      .map((e) => ({ kind: e.kind, room: e.room, from: e.from, to: e.to, text: e.text, seq: e.seq, ts: e.ts }));
  }

  function saveNow() {
    clearTimeout(saveTimer);
    saveTimer = null;
    if (!state.everLoggedIn || !state.wantedName) return;
    const data = {
      name: state.name || state.wantedName,
      resume: state.resume,
      leftLobby: state.leftLobby,
      current: state.current,
      conversations: [...conversations.values()].filter((c) => !c.provisional).map((c) => c.kind === 'room'
        ? { kind: 'room', room: c.room, lastSeq: c.lastSeq, epoch: c.epoch, unread: c.unread, entries: storedEntries(c) }
        : { kind: 'dm', peer: c.peer, unread: c.unread, entries: storedEntries(c) }),
      outbox: state.outbox.map((o) => ({ id: o.id, type: o.type, room: o.room, to: o.to, text: o.text, key: o.key, typed: o.typed })),
    };
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(data));
    } catch (e) {
      // Full or disabled storage: a reload then starts from the login form, nothing else breaks.
    }
  }

  function restore() {
    let data;
    try {
      data = JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null');
    } catch (e) {
      data = null;
    }
    if (!data || typeof data.name !== 'string') return false;
    state.wantedName = data.name;
    state.resume = typeof data.resume === 'string' ? data.resume : null;
    state.leftLobby = data.leftLobby === true;
    for (const s of Array.isArray(data.conversations) ? data.conversations : []) {
      if (s.kind === 'room' && typeof s.room === 'string') {
        const c = conversation(roomKey(s.room), true);
        c.lastSeq = typeof s.lastSeq === 'number' ? s.lastSeq : 0;
        c.epoch = typeof s.epoch === 'string' ? s.epoch : null;
        c.unread = s.unread | 0;
        c.entries = Array.isArray(s.entries) ? s.entries : [];
        c.joined = false;
      } else if (s.kind === 'dm' && typeof s.peer === 'string') {
        const c = conversation(dmKey(s.peer), true);
        c.peer = s.peer;
        c.title = s.peer;
        c.unread = s.unread | 0;
        c.entries = Array.isArray(s.entries) ? s.entries : [];
        c.lastActivity = c.entries.length ? c.entries[c.entries.length - 1].ts || 0 : 0;
      }
    }
    for (const o of Array.isArray(data.outbox) ? data.outbox : []) {
      if (typeof o.text === 'string' && typeof o.id === 'string') state.outbox.push(Object.assign({}, o, { inFlight: false }));
    }
    state.current = conversations.has(data.current) ? data.current : null;
    state.everLoggedIn = true;
    state.name = data.name;
    return true;
  }

  function forgetSession() {
    try { sessionStorage.removeItem(STORE_KEY); } catch (e) { /* nothing to forget */ }
  }

  // ---- conversations ----
  function conversation(key, make) {
    let c = conversations.get(key);
    if (!c && make) {
      c = key.startsWith('#')
        ? { key, kind: 'room', room: key.slice(1), title: key, lastSeq: 0, epoch: null, members: [], total: 0,
          entries: [], unread: 0, joined: false, typing: new Map() }
        : { key, kind: 'dm', peer: key.slice(1), title: key.slice(1), entries: [], unread: 0, lastActivity: 0 };
      c.dividerBefore = null;   // the entry before which the "new messages" divider sits
      conversations.set(key, c);
    }
    return c;
  }

  function isFromOthers(entry) {
    return (entry.kind === 'message' || entry.kind === 'direct') && !sameName(entry.from, state.name);
  }

  function addEntry(c, entry) {
    c.entries.push(entry);
    if (c.entries.length > KEEP_ENTRIES) {
      c.entries.splice(0, c.entries.length - KEEP_ENTRIES);
      if (c.key === state.current) scheduleFullRender();
    }
    const visible = document.visibilityState === 'visible';
    if (isFromOthers(entry)) {
      if (c.key !== state.current) {
        if (c.unread === 0) c.dividerBefore = entry;
        c.unread++;
        renderSidebarSoon();
      } else if (!visible && c.dividerBefore == null) {
        c.dividerBefore = entry;
        scheduleFullRender();
      }
      if (!visible) {
        state.hiddenUnread++;
        renderTitle();
      }
    }
    if (c.key === state.current) queueAppend(entry);
    if (entry.kind === 'message' || entry.kind === 'direct') saveSoon();
  }

  function removeEntry(c, entry) {
    const i = c.entries.indexOf(entry);
    if (i < 0) return;
    c.entries.splice(i, 1);
    if (c.key === state.current) {
      const n = entryNodes.get(entry);
      if (n) {
        let before = n.previousElementSibling;
        while (before && !before.matches('.day-separator, .msg')) before = before.previousElementSibling;
        n.remove();
        if (before && before.matches('.day-separator')) dropIfDatesNothing(before);
      }
    }
  }

  // A date separator whose day has no message left under it (the pending copy it dated was replaced by
  // the server's, which brings its own separator when due) would stand twice: remove it.
  function dropIfDatesNothing(separator) {
    for (let n = separator.nextElementSibling; n && !n.matches('.day-separator'); n = n.nextElementSibling) {
      if (n.matches('.msg')) return;
    }
    separator.remove();
  }

  // ---- the message list: batched appends (a burst costs one layout per frame) ----
  const entryNodes = new WeakMap();   // entry -> its <li>
  let appendQueue = [];
  let appendFrame = 0;
  let fullRender = false;
  let newBelow = 0;                   // messages that came while scrolled up

  function nearBottom() {
    const list = el.messages;
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }

  function queueAppend(entry) {
    appendQueue.push(entry);
    if (!appendFrame) appendFrame = requestAnimationFrame(flush);
    // A hidden tab gets no animation frames: flush from a timer so its DOM stays current.
    if (document.visibilityState !== 'visible') setTimeout(flush, 50);
  }

  function scheduleFullRender() {
    fullRender = true;
    if (!appendFrame) appendFrame = requestAnimationFrame(flush);
    if (document.visibilityState !== 'visible') setTimeout(flush, 50);
  }

  function flush() {
    cancelAnimationFrame(appendFrame);
    appendFrame = 0;
    if (fullRender) {
      fullRender = false;
      appendQueue = [];
      renderMessages();
      return;
    }
    if (appendQueue.length === 0) return;
    const c = conversations.get(state.current);
    const entries = appendQueue;
    appendQueue = [];
    if (!c) return;
    const stick = nearBottom();
    for (const placeholder of el.messages.querySelectorAll('.empty-conversation')) placeholder.remove();
    const frag = document.createDocumentFragment();
    let mine = false;
    let others = 0;
    for (const entry of entries) {
      const i = c.entries.indexOf(entry);
      if (i < 0) continue;
      appendEntryNodes(frag, entry, previousShown(c, i));
      if (sameName(entry.from, state.name) && (entry.kind === 'message' || entry.kind === 'direct' || entry.kind === 'pending')) mine = true;
      else if (entry.kind === 'message' || entry.kind === 'direct') others++;
    }
    el.messages.append(frag);
    if (stick || mine) {
      scrollToBottom();
    } else if (others > 0) {
      newBelow += others;
      renderJump();
    }
  }

  function previousShown(c, i) { return i > 0 ? c.entries[i - 1] : undefined; }

  function scrollToBottom() {
    el.messages.scrollTop = el.messages.scrollHeight;
    newBelow = 0;
    renderJump();
  }

  function renderJump() {
    el.jumpButton.hidden = newBelow === 0;
    el.jumpButton.textContent = '↓ ' + number(newBelow) + (newBelow === 1 ? ' new message' : ' new messages');
  }

  // Adds the entry's <li> to parent, preceded by a date separator and the unread divider when due.
  function appendEntryNodes(parent, entry, previous) {
    const c = conversations.get(state.current);
    const ts = entry.ts;
    if (typeof ts === 'number' && (entry.kind === 'message' || entry.kind === 'direct' || entry.kind === 'pending')) {
      const prevTs = lastDatedTs(c, entry);
      if (prevTs == null || dayKey(prevTs) !== dayKey(ts)) {
        const sep = node('li', 'day-separator');
        sep.setAttribute('role', 'separator');
        sep.append(node('span', null, dayLabel(ts)));
        parent.append(sep);
      }
    }
    if (c && c.dividerBefore === entry) {
      const div = node('li', 'unread-divider');
      div.setAttribute('role', 'separator');
      div.append(node('span', null, 'New messages'));
      parent.append(div);
    }
    const li = entryNode(entry, previous);
    entryNodes.set(entry, li);
    parent.append(li);
  }

  function lastDatedTs(c, entry) {
    if (!c) return null;
    const i = c.entries.indexOf(entry);
    for (let j = i - 1; j >= 0; j--) {
      const e = c.entries[j];
      if (typeof e.ts === 'number' && (e.kind === 'message' || e.kind === 'direct' || e.kind === 'pending')) return e.ts;
    }
    return null;
  }

  function entryNode(entry, previous) {
    if (entry.kind === 'event' || entry.kind === 'error') {
      const li = node('li', 'event' + (entry.kind === 'error' ? ' error' : ''));
      li.append(node('span', 'event-text', entry.text));
      if (entry.ts) li.append(node('time', 'event-time', clock(entry.ts)));
      return li;
    }
    if (entry.kind === 'failed') return failedNode(entry);
    const mine = sameName(entry.from, state.name);
    const kind = entry.kind === 'pending' ? (entry.to ? 'direct' : 'message') : entry.kind;
    const prevKind = previous && (previous.kind === 'pending' ? (previous.to ? 'direct' : 'message') : previous.kind);
    const grouped = previous && prevKind === kind && previous.from === entry.from
      && (entry.ts || 0) - (previous.ts || 0) < 5 * 60 * 1000 && dayKey(entry.ts || 0) === dayKey(previous.ts || 0);
    const mention = !mine && entry.kind === 'message' && mentionsMe(entry.text);
    const li = node('li', 'msg' + (mine ? ' mine' : '') + (grouped ? ' grouped' : '') + (kind === 'direct' ? ' direct' : '')
      + (entry.kind === 'pending' ? ' pending' : '') + (mention ? ' mention' : ''));
    if (entry.seq != null) li.dataset.seq = String(entry.seq);
    if (entry.room != null && entry.kind !== 'pending') li.dataset.room = entry.room;
    li.dataset.from = entry.from;
    li.append(avatar(entry.from));
    const body = node('div', 'msg-body');
    const head = node('div', 'msg-head');
    const from = node('span', 'msg-from', entry.from);
    from.dir = 'auto';
    head.append(from);
    if (kind === 'direct') head.append(node('span', 'msg-to', '→ ' + entry.to));
    head.append(node('time', 'msg-time', clock(entry.ts)));
    if (entry.kind === 'pending') head.append(node('span', 'msg-state', entry.waiting || 'sending…'));
    body.append(head, richText(entry.text));
    li.append(body);
    return li;
  }

  // A message the server refused while the composer was busy with something else: its text, the
  // reason, and buttons to send it again or to edit it.
  function failedNode(entry) {
    const li = node('li', 'msg failed mine');
    li.append(avatar(entry.from));
    const body = node('div', 'msg-body');
    const head = node('div', 'msg-head');
    head.append(node('span', 'msg-from', entry.from), node('span', 'msg-state error-text', 'Not sent: ' + entry.reason));
    const actions = node('div', 'msg-actions');
    const retry = node('button', 'link-button', 'Send again');
    retry.type = 'button';
    retry.addEventListener('click', () => {
      removeEntry(conversations.get(entry.key), entry);
      enqueue(entry.out.type, entry.out, entry.out.text, entry.out.typed);
    });
    const edit = node('button', 'link-button', 'Edit');
    edit.type = 'button';
    edit.addEventListener('click', () => {
      removeEntry(conversations.get(entry.key), entry);
      setComposer(entry.out.typed);
    });
    actions.append(retry, edit);
    body.append(head, richText(entry.text), actions);
    li.append(body);
    return li;
  }

  function renderMessages() {
    const c = conversations.get(state.current);
    el.messages.replaceChildren();
    if (!c) {
      el.messages.append(node('li', 'empty-conversation', 'Join a room to start chatting.'));
      renderTyping();
      return;
    }
    let previous;
    const frag = document.createDocumentFragment();
    for (const entry of c.entries) {
      appendEntryNodes(frag, entry, previous);
      previous = entry;
    }
    if (c.entries.length === 0) {
      frag.append(node('li', 'empty-conversation',
        c.kind === 'room' ? 'No messages in ' + c.title + ' yet. Say hello!' : 'Whisper to ' + c.peer + ': only the two of you see it.'));
    }
    el.messages.append(frag);
    const divider = el.messages.querySelector('.unread-divider');
    if (divider && divider.offsetTop > el.messages.clientHeight / 2) {
      el.messages.scrollTop = divider.offsetTop - 40;
      newBelow = 0;
      renderJump();
    } else {
      scrollToBottom();
    }
    renderTyping();
  }

  function select(key, opts) {
    const previous = conversations.get(state.current);
    if (previous && previous.key !== key) previous.dividerBefore = null;
    state.current = key;
    const c = conversations.get(key);
    if (c) {
      if (c.unread > 0 && c.dividerBefore == null) {
        const unreadEntries = c.entries.filter(isFromOthers);
        c.dividerBefore = unreadEntries[Math.max(0, unreadEntries.length - c.unread)] || null;
      }
      c.unread = 0;
    }
    newBelow = 0;
    appendQueue = [];
    renderHeader();
    renderSidebar();
    renderMessages();
    if (drawerMode() && document.body.classList.contains('sidebar-open')) {
      closeSidebar();
      el.composerInput.focus();
    }
    if (opts && opts.focusComposer) el.composerInput.focus();
    saveSoon();
  }

  function renderTitle() {
    const c = conversations.get(state.current);
    const base = (c ? c.title + ' · ' : '') + 'Chat';
    document.title = (state.hiddenUnread > 0 ? '(' + state.hiddenUnread + ') ' : '') + base;
  }

  function renderHeader() {
    const c = conversations.get(state.current);
    el.conversationTitle.textContent = c ? c.title : 'No room';
    if (c && c.kind === 'room') {
      const n = c.total || c.members.length;
      el.conversationSubtitle.textContent = number(n) + (n === 1 ? ' member' : ' members');
      el.composerInput.placeholder = 'Message ' + c.title;
      el.leaveButton.hidden = false;
      el.leaveButton.textContent = 'Leave';
    } else if (c) {
      const online = peerOnline(c.peer);
      el.conversationSubtitle.textContent = 'whisper' + (online === true ? ' · online' : online === false ? ' · offline' : '');
      el.composerInput.placeholder = 'Whisper to ' + c.peer;
      el.leaveButton.hidden = false;
      el.leaveButton.textContent = 'Close';
    } else {
      el.conversationSubtitle.textContent = '';
      el.composerInput.placeholder = 'Join a room first (/join name)';
      el.leaveButton.hidden = true;
    }
    renderTitle();
  }

  // ---- the sidebar: keyed nodes updated in place ----
  // Each list keeps its items by key; an item's button is made once and then only its text,
  // classes and attributes change, so a focused button keeps its focus through every refresh.
  function syncList(ul, items, make, update) {
    const byKey = ul._byKey || (ul._byKey = new Map());
    const keep = new Set(items.map((it) => it.key));
    for (const [key, li] of byKey) {
      if (!keep.has(key)) { li.remove(); byKey.delete(key); }
    }
    items.forEach((item, i) => {
      let li = byKey.get(item.key);
      if (!li) { li = make(item); byKey.set(item.key, li); }
      li._item = item;
      update(li, item);
      if (ul.children[i] !== li) ul.insertBefore(li, ul.children[i] || null);
    });
  }

  function setText(n, text) { if (n.textContent !== text) n.textContent = text; }
  function setAttr(n, name, value) {
    if (value == null) { if (n.hasAttribute(name)) n.removeAttribute(name); } else if (n.getAttribute(name) !== value) n.setAttribute(name, value);
  }

  function makeNavItem(item) {
    const li = node('li');
    li.dataset.key = item.key;
    const b = node('button', 'nav-item');
    b.type = 'button';
    if (item.avatarName) b.append(avatar(item.avatarName, 'small'));
    const label = node('span', 'nav-label');
    label.dir = 'auto';
    b.append(label);
    const presence = node('span', 'presence');
    presence.hidden = true;
    presence.append(srOnly(''));
    const count = node('span', 'count');
    const countNumber = node('span', 'count-number');
    countNumber.setAttribute('aria-hidden', 'true');
    count.append(countNumber, srOnly(''));
    const badge = node('span', 'badge');
    const badgeNumber = node('span', 'badge-number');
    badgeNumber.setAttribute('aria-hidden', 'true');
    badge.append(badgeNumber, srOnly(''));
    b.append(presence, count, badge);
    b.addEventListener('click', () => li._item.onClick());
    li.append(b);
    return li;
  }

  function updateNavItem(li, item) {
    const b = li.firstChild;
    b.classList.toggle('active', item.active === true);
    setAttr(b, 'aria-current', item.active ? 'true' : null);
    setText(b.querySelector('.nav-label'), item.label);
    const presence = b.querySelector('.presence');
    presence.hidden = item.online == null;
    if (item.online != null) {
      presence.classList.toggle('on', item.online);
      setAttr(presence, 'title', item.online ? 'online' : 'offline');
      setText(presence.firstChild, item.online ? 'online' : 'offline');
    }
    const count = b.querySelector('.count');
    count.hidden = item.count == null;
    if (item.count != null) {
      setText(count.firstChild, number(item.count));
      setText(count.lastChild, ' ' + number(item.count) + (item.count === 1 ? ' member' : ' members'));
      setAttr(count, 'title', number(item.count) + (item.count === 1 ? ' member' : ' members'));
    }
    const badge = b.querySelector('.badge');
    badge.hidden = !item.unread;
    if (item.unread) {
      setText(badge.firstChild, item.unread > 99 ? '99+' : String(item.unread));
      setText(badge.lastChild, ' ' + number(item.unread) + ' unread');
      setAttr(badge, 'title', number(item.unread) + ' unread');
    }
  }

  let sidebarFrame = 0;
  function renderSidebarSoon() {
    if (!sidebarFrame) sidebarFrame = requestAnimationFrame(() => { sidebarFrame = 0; renderSidebar(); });
    if (document.visibilityState !== 'visible') setTimeout(() => { if (sidebarFrame) { cancelAnimationFrame(sidebarFrame); sidebarFrame = 0; renderSidebar(); } }, 50);
  }

  // true, false, or null when unknown (a server without "online" and no room shared with the peer).
  function peerOnline(peer) {
    const k = peer.toLowerCase();
    if (!state.noOnline && state.onlineKnown && state.onlineKnown.has(k)) return state.online.has(k);
    for (const c of conversations.values()) {
      if (c.kind === 'room' && c.members.some((m) => sameName(m, peer))) return true;
    }
    return null;
  }

  function renderSidebar() {
    const rooms = [...conversations.values()].filter((c) => c.kind === 'room').sort((a, b) => a.room.localeCompare(b.room));
    const dms = [...conversations.values()].filter((c) => c.kind === 'dm' && !c.provisional)
      .sort((a, b) => (b.lastActivity || 0) - (a.lastActivity || 0) || a.peer.localeCompare(b.peer));
    syncList(el.myRooms, rooms.map((c) => ({
      key: c.key, label: c.title, unread: c.unread, count: c.total || c.members.length, active: c.key === state.current,
      onClick: () => select(c.key),
    })), makeNavItem, updateNavItem);
    // Rooms with nobody in them (only history) are not worth a click: only rooms with people show.
    const others = state.allRooms.filter((r) => !conversations.has(roomKey(r.name)) && r.members > 0);
    syncList(el.otherRooms, others.map((r) => ({
      key: roomKey(r.name), label: '#' + r.name, count: r.members, onClick: () => joinRoom(r.name),
    })), makeNavItem, updateNavItem);
    el.noOtherRooms.hidden = others.length > 0;
    const more = state.roomsTotal - state.allRooms.length;
    el.moreRooms.hidden = !(more > 0);
    if (more > 0) el.moreRooms.textContent = 'and ' + number(more) + ' more: join one by name.';
    syncList(el.dmList, dms.map((c) => ({
      key: c.key, label: c.peer, avatarName: c.peer, unread: c.unread, active: c.key === state.current,
      online: peerOnline(c.peer), onClick: () => select(c.key),
    })), makeNavItem, updateNavItem);
    el.noDms.hidden = dms.length > 0;

    const c = conversations.get(state.current);
    const room = c && c.kind === 'room' ? c : null;
    el.membersSection.hidden = !room;
    if (room) {
      el.membersRoom.textContent = room.title;
      el.membersCount.textContent = '(' + number(room.total || room.members.length) + ')';
      const members = room.members.slice().sort((a, b) => (sameName(a, state.name) ? -1 : sameName(b, state.name) ? 1 : a.localeCompare(b)));
      syncList(el.members, members.map((name) => ({ key: name.toLowerCase(), name })), makeMember, updateMember);
    }
    const totalUnread = [...conversations.values()].reduce((n, x) => n + x.unread, 0);
    el.menuBadge.hidden = totalUnread === 0;
    el.menuBadge.textContent = totalUnread > 99 ? '99+' : String(totalUnread);
    el.menuButton.setAttribute('aria-label', 'Rooms and people' + (totalUnread ? ', ' + totalUnread + ' unread' : ''));
  }

  function makeMember(item) {
    const li = node('li');
    const me = sameName(item.name, state.name);
    const b = node(me ? 'div' : 'button', 'member' + (me ? ' me' : ''));
    if (!me) {
      b.type = 'button';
      b.addEventListener('click', () => openWhisper(li._item.name));
    }
    b.append(avatar(item.name, 'small'));
    const label = node('span', 'nav-label', item.name + (me ? ' (you)' : ''));
    label.dir = 'auto';
    b.append(label);
    if (!me) b.title = 'Whisper to ' + item.name;
    li.append(b);
    return li;
  }

  function updateMember() { /* a member's row does not change while it is shown */ }

  function openSidebar() {
    document.body.classList.add('sidebar-open');
    el.menuButton.setAttribute('aria-expanded', 'true');
    el.scrim.hidden = false;
  }
  function closeSidebar() {
    document.body.classList.remove('sidebar-open');
    el.menuButton.setAttribute('aria-expanded', 'false');
    el.scrim.hidden = true;
  }

  // ---- typing indicators ----
  function renderTyping() {
    const c = conversations.get(state.current);
    const now = Date.now();
    const names = [];
    if (c && c.kind === 'room') {
      for (const [key, t] of c.typing) {
        if (t.until > now) names.push(t.name); else c.typing.delete(key);
      }
    }
    let text = '';
    if (names.length === 1) text = names[0] + ' is typing…';
    else if (names.length === 2) text = names[0] + ' and ' + names[1] + ' are typing…';
    else if (names.length > 2) text = names.length + ' people are typing…';
    setText(el.typing, text);
  }

  let typingTimer = null;
  function onTyping(msg) {
    const c = conversation(roomKey(msg.room), false);
    if (!c || typeof msg.name !== 'string' || sameName(msg.name, state.name)) return;
    c.typing.set(msg.name.toLowerCase(), { name: msg.name, until: Date.now() + TYPING_SHOW_MS });
    if (c.key === state.current) renderTyping();
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function expire() {
      renderTyping();
      let next = Infinity;
      for (const x of conversations.values()) if (x.typing) for (const t of x.typing.values()) next = Math.min(next, t.until);
      if (next !== Infinity) typingTimer = setTimeout(expire, Math.max(50, next - Date.now() + 20));
    }, TYPING_SHOW_MS + 20);
  }

  const lastTypingSent = new Map();
  function maybeSendTyping() {
    if (state.noTyping || !state.loggedIn) return;
    const c = conversations.get(state.current);
    const text = el.composerInput.value;
    if (!c || c.kind !== 'room' || !c.joined || text.trim() === '' || text.startsWith('/')) return;
    const now = Date.now();
    if (now - (lastTypingSent.get(c.room) || 0) < TYPING_SEND_MS) return;
    lastTypingSent.set(c.room, now);
    send({ type: 'typing', room: c.room });
  }

  // ---- notifications (asked for only after a click) ----
  function notificationsSupported() { return typeof window.Notification === 'function'; }

  function renderNotifyButton() {
    el.notifyButton.hidden = !(notificationsSupported() && Notification.permission === 'default');
  }

  function notify(c, entry) {
    if (document.visibilityState === 'visible' || !notificationsSupported() || Notification.permission !== 'granted') return;
    const title = entry.kind === 'direct' ? entry.from + ' whispered' : entry.from + ' mentioned you in ' + c.title;
    try {
      const n = new Notification(title, { body: entry.text.slice(0, 200), tag: c.key });
      n.onclick = () => { window.focus(); select(c.key); n.close(); };
    } catch (e) {
      // Some browsers only allow notifications from a service worker: the title count still shows.
    }
  }

  // ---- the connection ----
  function setStatus(kind, text) {
    el.status.dataset.state = kind;
    el.statusText.textContent = text;
    document.body.dataset.connection = kind;
  }

  // Sends a request with a fresh ref; remembers it (and meta, which stays on the page) to word its reply.
  function send(obj, meta) {
    if (!state.socket || state.socket.readyState !== WebSocket.OPEN) return null;
    const ref = 'r' + state.nextRef++;
    obj.ref = ref;
    state.pending.set(ref, Object.assign({}, obj, meta));
    if (state.pending.size > 500) state.pending.delete(state.pending.keys().next().value);
    state.socket.send(JSON.stringify(obj));
    return ref;
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    clearInterval(state.countdownTimer);
    state.reconnectTimer = null;
    if (state.socket) {
      const old = state.socket;
      state.socket = null;
      old.close(1000, 'reconnecting');
    }
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    setStatus('connecting', state.everLoggedIn ? 'Reconnecting…' : 'Connecting…');
    let socket;
    try {
      socket = new WebSocket(url);
    } catch (e) {
      onSocketGone(null, null, '');
      return;
    }
    state.socket = socket;
    socket.onopen = () => {
      if (state.socket !== socket) return;
      const login = { type: 'login', name: state.wantedName };
      if (state.resume) login.resume = state.resume;
      send(login);
    };
    socket.onmessage = (event) => {
      if (state.socket !== socket) return;
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch (e) {
        console.warn('not JSON from the server', event.data);
        return;
      }
      handle(msg);
    };
    socket.onclose = (event) => {
      if (state.socket !== socket) return;
      onSocketGone(socket, event.code, event.reason);
    };
    socket.onerror = () => { /* onclose follows and says what happened */ };
  }

  function onSocketGone(socket, code, reason) {
    state.socket = null;
    state.loggedIn = false;
    clearInterval(state.roomsTimer);
    clearInterval(state.onlineTimer);
    for (const o of state.outbox) o.inFlight = false;
    for (const c of conversations.values()) if (c.kind === 'room') c.joined = false;
    if (!state.everLoggedIn) {
      // Never got in: the login form stays, with the reason.
      setStatus('offline', 'Offline');
      showLoginError('Cannot reach the chat server. Check that it runs, then try again.');
      return;
    }
    const words = closeWords(code, reason);
    // The first reason stays until we are back: a retry that fails (1006) does not hide the 1001.
    if (state.lostWhy == null) state.lostWhy = words;
    if (code === 4000 || code === 4001) {
      stopped(words);
      return;
    }
    scheduleReconnect();
  }

  // The server ended this page's session on purpose (taken over elsewhere, kicked): no automatic retry.
  function stopped(words) {
    clearTimeout(state.reconnectTimer);
    clearInterval(state.countdownTimer);
    state.reconnectTimer = null;
    setStatus('offline', 'Offline');
    el.banner.hidden = false;
    el.bannerText.textContent = words;
    el.retryButton.textContent = 'Reconnect here';
    document.body.dataset.reconnectAttempt = String(state.attempt);
  }

  function scheduleReconnect(why) {
    // Equal jitter: half the capped exponential delay, plus a random part of the other half, so
    // that many pages dropped at once do not all come back in the same instant.
    const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.min(state.attempt, 16));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    state.attempt++;
    document.body.dataset.reconnectAttempt = String(state.attempt);
    state.reconnectAt = Date.now() + delay;
    setStatus('offline', 'Offline');
    el.banner.hidden = false;
    el.retryButton.textContent = 'Reconnect now';
    const lead = why || state.lostWhy || 'The connection to the server was lost.';
    const tick = () => {
      const s = Math.max(0, Math.ceil((state.reconnectAt - Date.now()) / 1000));
      el.bannerText.textContent = lead + (state.attempt > 1 ? ' Still trying (attempt ' + state.attempt + '):' : '')
        + ' reconnecting in ' + s + ' s…';
    };
    tick();
    clearInterval(state.countdownTimer);
    state.countdownTimer = setInterval(tick, 500);
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = setTimeout(connect, delay);
  }

  function showChat() {
    document.body.dataset.state = 'chat';
    el.loginView.hidden = true;
    el.chatView.hidden = false;
  }

  function showMe() {
    el.meName.textContent = state.name;
    el.meAvatar.replaceWith(el.meAvatar = Object.assign(avatar(state.name), { id: 'me-avatar' }));
  }

  function onWelcome(msg) {
    const again = state.everLoggedIn;
    state.name = msg.name;
    state.wantedName = msg.name;
    if (typeof msg.resume === 'string') state.resume = msg.resume;
    state.loggedIn = true;
    state.everLoggedIn = true;
    state.attempt = 0;
    state.lostWhy = null;
    document.body.dataset.reconnectAttempt = '0';
    clearInterval(state.countdownTimer);
    el.banner.hidden = true;
    setStatus('online', 'Online');
    showChat();
    showMe();
    if (again) {
      // The server puts us in the lobby by itself; every other room is rejoined from where we were.
      for (const c of conversations.values()) {
        if (c.kind === 'room' && c.room !== DEFAULT_ROOM) {
          c.joined = false;
          const join = { type: 'join', room: c.room, since: c.lastSeq };
          if (c.epoch) join.epoch = c.epoch;
          send(join, { rejoin: true });
        }
      }
      if (state.current == null) state.current = [...conversations.keys()][0] || null;
      renderHeader();
      renderSidebar();
      renderMessages();
    } else {
      el.composerInput.focus();
    }
    requestRooms();
    clearInterval(state.roomsTimer);
    state.roomsTimer = setInterval(requestRooms, ROOMS_REFRESH_MS);
    checkOnline();
    clearInterval(state.onlineTimer);
    state.onlineTimer = setInterval(checkOnline, ONLINE_REFRESH_MS);
    saveNow();
    pumpOutbox();
  }

  function requestRooms() {
    if (state.loggedIn) send({ type: 'rooms' });
  }

  function requestRoomsSoon() {
    clearTimeout(state.roomsDebounce);
    state.roomsDebounce = setTimeout(requestRooms, ROOMS_DEBOUNCE_MS);
  }

  function checkOnline() {
    if (state.noOnline || !state.loggedIn) return;
    const names = [...conversations.values()].filter((c) => c.kind === 'dm').map((c) => c.peer).slice(0, 50);
    if (names.length > 0) send({ type: 'online', names }, { asked: names });
  }

  // ---- the outbox: one send in flight at a time, in order, each with an idempotent id ----
  function enqueue(type, target, text, typed) {
    const o = { id: newId(), type, text, typed: typed != null ? typed : text, inFlight: false };
    if (type === 'say') { o.room = target.room; o.key = roomKey(target.room); } else { o.to = target.to; o.key = target.key || dmKey(target.to); }
    state.outbox.push(o);
    showPending(o);
    saveSoon();
    pumpOutbox();
    return o;
  }

  function showPending(o) {
    const c = conversations.get(o.key);
    if (!c) return;
    o.entry = { kind: 'pending', outId: o.id, from: state.name || state.wantedName, to: o.to, room: o.room, text: o.text, ts: Date.now() };
    addEntry(c, o.entry);
  }

  function pumpOutbox() {
    const o = state.outbox[0];
    if (!o || o.inFlight || state.outboxTimer || !state.loggedIn) return;
    if (o.type === 'say') {
      const c = conversations.get(o.key);
      if (c && !c.joined) return;      // rejoin first; the joined reply pumps again
    }
    if (!o.entry) showPending(o);
    const req = o.type === 'say' ? { type: 'say', room: o.room, text: o.text, id: o.id } : { type: 'whisper', to: o.to, text: o.text, id: o.id };
    o.ref = send(req, { outId: o.id });
    o.inFlight = o.ref != null;
  }

  function outboxHeadFor(msg) {
    const o = state.outbox[0];
    if (!o) return null;
    if ((msg.ref != null && msg.ref === o.ref) || (msg.id != null && msg.id === o.id)) return o;
    return null;
  }

  function delivered(o) {
    state.outbox.shift();
    const c = conversations.get(o.key);
    if (c && o.entry) removeEntry(c, o.entry);
    saveSoon();
    pumpOutbox();
  }

  function refused(o, msg) {
    state.outbox.shift();
    let c = conversations.get(o.key);
    if (c && o.entry) removeEntry(c, o.entry);
    const reason = describeError(msg, o);
    if (c && c.provisional) {
      // "/w nobody hi": no conversation is left behind for a name that is not online.
      conversations.delete(c.key);
      if (state.current === c.key) {
        const back = conversations.has(o.from) ? o.from : ([...conversations.values()].find((x) => x.kind === 'room') || {}).key;
        select(back || null);
      }
      c = null;
      renderSidebar();
    }
    if (o.type === 'whisper' && msg.code === 'no_such_user') {
      state.onlineKnown = state.onlineKnown || new Set();
      state.onlineKnown.add(o.to.toLowerCase());
      state.online.delete(o.to.toLowerCase());
      renderSidebar();
      renderHeader();
    }
    const here = !c || c.key === state.current;
    if (here && el.composerInput.value.trim() === '') {
      setComposer(o.typed, reason);
    } else if (c) {
      addEntry(c, { kind: 'failed', key: c.key, from: state.name, text: o.text, reason, out: o, ts: Date.now() });
    } else {
      toast('Not sent: ' + reason);
    }
    saveSoon();
    pumpOutbox();
  }

  function setComposer(text, note) {
    el.composerInput.value = text;
    onComposerInput();
    if (note) showNote(note, true);
    el.composerInput.focus();
  }

  function showNote(text, isError) {
    el.composerNote.textContent = text;
    el.composerNote.classList.toggle('error-text', !!isError);
  }

  // ---- what the server says ----
  function handle(msg) {
    switch (msg.type) {
      case 'welcome': onWelcome(msg); break;
      case 'joined': onJoined(msg); break;
      case 'left': onLeft(msg); break;
      case 'presence': onPresence(msg); break;
      case 'message': onMessage(msg); break;
      case 'direct': onDirect(msg); break;
      case 'members': onMembers(msg); break;
      case 'rooms':
        state.allRooms = Array.isArray(msg.rooms) ? msg.rooms : [];
        state.roomsTotal = typeof msg.total === 'number' ? msg.total : state.allRooms.length;
        renderSidebar();
        break;
      case 'room': requestRoomsSoon(); break;
      case 'typing': onTyping(msg); break;
      case 'online': onOnline(msg); break;
      case 'error': onError(msg); break;
      default: console.warn('unknown message from the server', msg);
    }
    if (msg.ref != null && msg.type !== 'error') state.pending.delete(msg.ref);
  }

  function onOnline(msg) {
    const req = msg.ref != null ? state.pending.get(msg.ref) : undefined;
    const asked = req && Array.isArray(req.asked) ? req.asked : [];
    const names = Array.isArray(msg.names) ? msg.names : [];
    state.onlineKnown = state.onlineKnown || new Set();
    for (const n of asked) { state.onlineKnown.add(n.toLowerCase()); state.online.delete(n.toLowerCase()); }
    for (const n of names) { state.onlineKnown.add(n.toLowerCase()); state.online.add(n.toLowerCase()); }
    renderSidebar();
    renderHeader();
  }

  function onJoined(msg) {
    const req = msg.ref != null ? state.pending.get(msg.ref) : undefined;
    // asked: the person joined this room just now (not the lobby join that follows a login, nor a rejoin).
    const asked = req !== undefined && req.type === 'join' && !req.rejoin;
    if (msg.room === DEFAULT_ROOM && state.leftLobby && !asked) {
      // The automatic lobby join after a re-login, but this person had left the lobby.
      send({ type: 'leave', room: DEFAULT_ROOM });
      return;
    }
    const existed = conversations.has(roomKey(msg.room));
    const c = conversation(roomKey(msg.room), true);
    c.joined = true;
    if (Array.isArray(msg.members)) c.members = msg.members.slice();
    c.total = typeof msg.total === 'number' ? msg.total : 0;
    const history = Array.isArray(msg.history) ? msg.history : [];
    const epoch = typeof msg.epoch === 'string' ? msg.epoch : null;
    if (existed && c.lastSeq > 0 && startedOver(c, msg, history, epoch)) {
      // The room started over on the server (it restarted, or the room emptied and was forgotten):
      // its seq counts from 1 again, so what we saw before says nothing about what is new.
      c.lastSeq = 0;
      addEntry(c, { kind: 'event', text: c.title + ' started over on the server: messages above are from before.', ts: Date.now() });
    } else if (existed && c.lastSeq > 0 && (msg.recovered === false
      || (history.length > 0 && history[0].seq > c.lastSeq + 1))) {
      addEntry(c, { kind: 'event', text: 'Some messages sent while you were away are no longer kept.' });
    }
    if (epoch) c.epoch = epoch;
    for (const m of history) onMessage(Object.assign({ room: msg.room }, m));
    if (msg.room === DEFAULT_ROOM) state.leftLobby = false;
    if (asked || !state.current || !conversations.has(state.current)) select(c.key, { focusComposer: asked });
    else if (c.key === state.current) { renderHeader(); renderSidebar(); }
    else renderSidebar();
    requestRooms();
    saveSoon();
    pumpOutbox();
  }

  function startedOver(c, msg, history, epoch) {
    if (epoch && c.epoch) return epoch !== c.epoch;
    // A server without epochs: a room whose history is empty or ends before what we saw is a new life.
    if (msg.recovered === true) return false;
    return history.length === 0 || history[history.length - 1].seq < c.lastSeq;
  }

  function onLeft(msg) {
    const key = roomKey(msg.room);
    conversations.delete(key);
    if (msg.room === DEFAULT_ROOM) state.leftLobby = true;
    if (state.current === key) {
      const next = [...conversations.values()].find((c) => c.kind === 'room') || [...conversations.values()][0];
      select(next ? next.key : null);
    } else {
      renderSidebar();
    }
    requestRooms();
    saveSoon();
  }

  function onPresence(msg) {
    const c = conversation(roomKey(msg.room), false);
    if (!c) return;
    const i = c.members.findIndex((n) => sameName(n, msg.name));
    if (msg.event === 'join' && i < 0) { c.members.push(msg.name); if (c.total) c.total++; }
    if (msg.event === 'leave' && i >= 0) { c.members.splice(i, 1); if (c.total) c.total--; }
    if (msg.event === 'leave') c.typing.delete(String(msg.name).toLowerCase());
    addEntry(c, { kind: 'event', text: msg.name + (msg.event === 'join' ? ' joined ' : ' left ') + c.title, ts: Date.now() });
    if (c.key === state.current) { renderHeader(); renderTyping(); }
    renderSidebarSoon();
    // A whisper partner coming or going: ask the server rather than guess.
    if (conversations.has(dmKey(String(msg.name)))) {
      state.onlineKnown && state.onlineKnown.delete(String(msg.name).toLowerCase());
      checkOnlineSoon();
    }
  }

  let onlineSoon = null;
  function checkOnlineSoon() {
    clearTimeout(onlineSoon);
    onlineSoon = setTimeout(checkOnline, 200);
  }

  function onMessage(msg) {
    const c = conversation(roomKey(msg.room), false);
    if (!c) return;
    const o = outboxHeadFor(msg);
    if (msg.id != null && sameName(msg.from, state.name)) state.serverEchoesIds = true;
    // seq numbers a room's messages from 1 without gaps: anything at or below the last one seen is
    // a copy (history overlapping what arrived live), and is shown once only.
    if (typeof msg.seq === 'number') {
      if (msg.seq <= c.lastSeq) { if (o) delivered(o); return; }
      c.lastSeq = msg.seq;
    }
    if (c.typing.delete(String(msg.from).toLowerCase()) && c.key === state.current) renderTyping();
    const entry = { kind: 'message', room: msg.room, from: msg.from, text: msg.text, seq: msg.seq, ts: msg.ts };
    if (o) delivered(o);
    else ackByText(msg);
    addEntry(c, entry);
    if (isFromOthers(entry) && mentionsMe(entry.text)) notify(c, entry);
  }

  // A server that does not echo ids: a message of ours in a rejoin's history acknowledges the
  // send that was in flight when the connection dropped, so it is not sent twice.
  function ackByText(msg) {
    const o = state.outbox[0];
    if (o && !o.inFlight && o.type === 'say' && o.room === msg.room && o.text === msg.text && sameName(msg.from, state.name)) delivered(o);
  }

  function onDirect(msg) {
    const mine = sameName(msg.from, state.name);
    const peer = mine ? msg.to : msg.from;
    const o = outboxHeadFor(msg);
    let c = conversation(dmKey(peer), false);
    if (!c && o) c = conversations.get(o.key);
    if (!c) c = conversation(dmKey(peer), true);
    const wasNew = c.provisional || c.entries.length === 0;
    c.provisional = false;
    c.peer = peer;
    c.title = peer;
    c.lastActivity = Date.now();
    if (o) delivered(o);
    const entry = { kind: 'direct', from: msg.from, to: msg.to, text: msg.text, ts: msg.ts };
    addEntry(c, entry);
    if (!mine) {
      state.onlineKnown = state.onlineKnown || new Set();
      state.onlineKnown.add(peer.toLowerCase());
      state.online.add(peer.toLowerCase());
      notify(c, entry);
    }
    if (wasNew) { renderSidebar(); if (c.key === state.current) renderHeader(); }
    else renderSidebarSoon();
  }

  function onMembers(msg) {
    const c = conversation(roomKey(msg.room), false);
    if (!c || !Array.isArray(msg.members)) return;
    c.members = msg.members.slice();
    if (typeof msg.total === 'number') c.total = msg.total;
    if (c.key === state.current) renderHeader();
    renderSidebar();
  }

  function onError(msg) {
    const req = msg.ref != null ? state.pending.get(msg.ref) : undefined;
    if (msg.ref != null) state.pending.delete(msg.ref);
    const o = outboxHeadFor(msg);
    if (o) {
      o.inFlight = false;
      if (msg.code === 'rate_limited' || msg.code === 'unavailable') {
        // Not refused, only early: wait as long as the server says, then the same id goes again.
        const wait = Math.min(10000, Math.max(100, typeof msg.retryAfterMs === 'number' ? msg.retryAfterMs : 1000));
        if (o.entry) {
          o.entry.waiting = 'waiting: sending too fast, trying again…';
          const n = entryNodes.get(o.entry);
          const st = n && n.querySelector('.msg-state');
          if (st) st.textContent = o.entry.waiting;
        }
        clearTimeout(state.outboxTimer);
        state.outboxTimer = setTimeout(() => { state.outboxTimer = null; pumpOutbox(); }, wait);
      } else {
        refused(o, msg);
      }
      return;
    }
    if (req && (req.type === 'typing' || req.type === 'online' || req.type === 'rooms')) {
      // Optional requests: a server that does not know them is not an error to show.
      if (msg.code === 'unknown_type' && req.type === 'typing') state.noTyping = true;
      if (msg.code === 'unknown_type' && req.type === 'online') { state.noOnline = true; renderSidebar(); }
      return;
    }
    const text = describeError(msg, req);
    if (req && req.type === 'login') {
      if (state.everLoggedIn && msg.code === 'name_taken') {
        // Our old connection may not be gone from the server yet: try again shortly.
        const socket = state.socket;
        state.socket = null;
        if (socket) socket.close(1000, 'retry login');
        scheduleReconnect('Waiting for the server to let go of the old connection.');
        return;
      }
      if (!state.loggedIn) {
        // A restored name the server refuses (or a fresh login): back to the form, with the reason.
        state.everLoggedIn = false;
        forgetSession();
        document.body.dataset.state = 'login';
        el.chatView.hidden = true;
        el.loginView.hidden = false;
        el.loginName.value = state.wantedName || '';
        showLoginError(text);
        return;
      }
    }
    if (req && req.type === 'join' && msg.code === 'rate_limited') {
      setTimeout(() => send({ type: 'join', room: req.room, since: req.since, epoch: req.epoch }, { rejoin: req.rejoin }),
        typeof msg.retryAfterMs === 'number' ? msg.retryAfterMs : 1000);
      return;
    }
    if (req && req.type === 'join' && !state.loggedIn) return;
    if (req && req.type === 'join' && !req.rejoin) {
      showNoteOrToast(text);
      return;
    }
    // In the conversation on screen when there is one (it stays readable there), else as a toast.
    const c = conversations.get(state.current);
    if (c) addEntry(c, { kind: 'error', text, ts: Date.now() });
    else toast(text);
  }

  function showNoteOrToast(text) { toast(text); }

  // ---- what the person does ----
  function showLoginError(text) {
    el.loginError.textContent = text;
    el.loginSubmit.disabled = false;
    el.loginName.focus();
  }

  function joinRoom(room) {
    room = room.trim().replace(/^#/, '').toLowerCase();
    if (!ROOM_NAME.test(room)) {
      toast(ERROR_WORDS.bad_room);
      return false;
    }
    const key = roomKey(room);
    if (conversations.has(key)) {
      select(key, { focusComposer: true });
      return true;
    }
    if (!send({ type: 'join', room })) { toast('Not connected: wait until the page is back online.'); return false; }
    return true;
  }

  function openWhisper(name) {
    const c = conversation(dmKey(name), true);
    if (c.entries.length === 0) { c.peer = name; c.title = name; }
    c.lastActivity = c.lastActivity || Date.now();
    select(c.key, { focusComposer: true });
    checkOnline();
  }

  function runCommand(text) {
    const [command, ...rest] = text.slice(1).split(/\s+/);
    switch (command.toLowerCase()) {
      case 'w': case 'whisper': case 'msg': {
        const [to] = rest;
        const body = text.replace(/^\/\S+\s+\S+\s?/, '');
        if (!to || body.trim() === '' || body === text) { showNote('Whisper with: /w name text', true); return false; }
        const from = state.current;
        let c = conversation(dmKey(to), false);
        if (!c) {
          // Provisional until the server delivers it: a name nobody has leaves nothing behind.
          c = conversation(dmKey(to), true);
          c.peer = to;
          c.title = to;
          c.provisional = true;
        }
        select(c.key);
        const o = enqueue('whisper', { to: c.peer, key: c.key }, body, text);
        o.from = from;
        return true;
      }
      case 'join': case 'j':
        if (!rest[0]) { showNote('Join with: /join room', true); return false; }
        return joinRoom(rest[0]);
      case 'leave': case 'part': {
        const c = conversations.get(state.current);
        const room = rest[0] ? rest[0].replace(/^#/, '') : (c && c.kind === 'room' ? c.room : null);
        if (!room) { showNote('Leave with: /leave room', true); return false; }
        return send({ type: 'leave', room }) ? true : offline();
      }
      case 'help':
        toast('/w name text whispers · /join room · /leave [room] · Shift+Enter for a new line');
        return true;
      default:
        showNote('Unknown command /' + command + '. Try /help.', true);
        return false;
    }
  }

  function offline() {
    showNote('Not connected: try again when the page is back online.', true);
    return false;
  }

  function onComposerInput() {
    const input = el.composerInput;
    const n = codePoints(input.value);
    const show = n >= COUNTER_FROM;
    el.composerCounter.hidden = !show;
    if (show) el.composerCounter.textContent = number(n) + ' / ' + number(MAX_TEXT);
    el.composerCounter.classList.toggle('over', n > MAX_TEXT);
    input.setAttribute('aria-invalid', n > MAX_TEXT ? 'true' : 'false');
    // Grows with its text up to a few lines, then scrolls.
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 180) + 'px';
  }

  function submitComposer() {
    const input = el.composerInput;
    const text = input.value;
    if (text.trim() === '') return;
    if (text.startsWith('/') && !text.startsWith('//')) {
      if (runCommand(text.trim())) { input.value = ''; showNote(''); onComposerInput(); }
      input.focus();
      return;
    }
    const body = text.startsWith('//') ? text.slice(1) : text;
    const n = codePoints(body);
    if (n > MAX_TEXT) {
      showNote('Too long by ' + number(n - MAX_TEXT) + (n - MAX_TEXT === 1 ? ' character' : ' characters')
        + ': a message is at most ' + number(MAX_TEXT) + '. Nothing was sent.', true);
      input.focus();
      return;
    }
    const c = conversations.get(state.current);
    if (!c) { showNote('Join a room first.', true); return; }
    if (c.kind === 'room') enqueue('say', { room: c.room }, body, text);
    else enqueue('whisper', { to: c.peer, key: c.key }, body, text);
    if (!state.loggedIn) showNote('Offline: it goes out when the page is back online.');
    else showNote('');
    input.value = '';
    onComposerInput();
    input.focus();
  }

  el.loginForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = el.loginName.value.trim().normalize('NFC');
    el.loginError.textContent = '';
    const n = codePoints(name);
    if (n === 0) { showLoginError('Type a name first.'); return; }
    if (n > MAX_NAME) { showLoginError('That name is ' + n + ' characters long; a name is at most ' + MAX_NAME + '.'); return; }
    if (/\p{Cf}/u.test(name)) { showLoginError('A name cannot contain invisible characters (such as zero-width joiners).'); return; }
    if (!NAME_RULE.test(name)) { showLoginError(ERROR_WORDS.bad_name); return; }
    state.wantedName = name;
    state.resume = null;
    el.loginSubmit.disabled = true;
    if (state.socket && state.socket.readyState === WebSocket.OPEN) send({ type: 'login', name });
    else connect();
  });

  el.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    submitComposer();
  });

  el.composerInput.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter (or an IME composing a word) makes a new line as a textarea does.
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey && !event.isComposing) {
      event.preventDefault();
      submitComposer();
    }
  });

  el.composerInput.addEventListener('input', () => {
    onComposerInput();
    maybeSendTyping();
  });

  el.joinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const room = el.joinRoom.value;
    if (room.trim() === '') return;
    if (joinRoom(room)) {
      el.joinRoom.value = '';
      // After a join, what is typed next is a message: it belongs in the composer.
      if (!drawerMode()) el.composerInput.focus();
    }
  });

  el.leaveButton.addEventListener('click', () => {
    const c = conversations.get(state.current);
    if (!c) return;
    if (c.kind === 'room') {
      if (!send({ type: 'leave', room: c.room })) offline();
    } else {
      conversations.delete(c.key);
      const next = [...conversations.values()].find((x) => x.kind === 'room');
      select(next ? next.key : null);
    }
  });

  // Whether the reader is at the bottom, kept across a resize (rotating a phone, opening a keyboard).
  let stuckToBottom = true;
  el.messages.addEventListener('scroll', () => {
    stuckToBottom = nearBottom();
    if (newBelow > 0 && stuckToBottom) { newBelow = 0; renderJump(); }
  }, { passive: true });
  new ResizeObserver(() => { if (stuckToBottom) el.messages.scrollTop = el.messages.scrollHeight; }).observe(el.messages);
  el.jumpButton.addEventListener('click', () => { scrollToBottom(); el.composerInput.focus(); });

  el.notifyButton.addEventListener('click', () => {
    if (!notificationsSupported()) return;
    Promise.resolve(Notification.requestPermission()).then(renderNotifyButton, renderNotifyButton);
  });

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      state.hiddenUnread = 0;
      renderTitle();
      flush();
    }
  });
  window.addEventListener('pagehide', () => {
    saveNow();
    // Leaving the page, or going into the back/forward cache (where Chromium keeps the socket open):
    // say goodbye now, so that the others see this person leave at once, not at the server's ping timeout.
    // A reload comes back with the resume token saved above.
    if (state.socket) {
      const s = state.socket;
      state.socket = null;
      s.close(1000, 'page closed');
    }
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted && state.everLoggedIn && !state.socket) connect(); // back from the cache
  });

  el.retryButton.addEventListener('click', () => connect());
  el.menuButton.addEventListener('click', () => {
    if (document.body.classList.contains('sidebar-open')) closeSidebar(); else openSidebar();
  });
  el.scrim.addEventListener('click', closeSidebar);
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape') closeSidebar(); });
  el.toast.addEventListener('click', () => { el.toast.hidden = true; });
  window.addEventListener('online', () => { if (state.reconnectTimer) connect(); });

  renderNotifyButton();
  if (restore()) {
    // A reload: back into the chat at once, reconnecting with the resume token.
    showChat();
    showMe();
    renderHeader();
    renderSidebar();
    renderMessages();
    for (const o of state.outbox) showPending(o);
    connect();
  } else {
    renderHeader();
  }
})();
