// The chat page: plain JavaScript, no build step, no library. It speaks protocol v1 on /ws.
//
// Rules this file keeps:
//  - Every string from the network is put on the page with textContent, never innerHTML, so a
//    message like <img src=x onerror=alert(1)> shows as those characters.
//  - When the connection drops the page says so, reconnects with capped, jittered backoff, logs in
//    again under the same name and rejoins its rooms with "since" (the last seq it saw in each);
//    messages are deduplicated by seq, so each missed message appears once, in order.
'use strict';

(() => {
  // ---- settings ----
  const RECONNECT_BASE_MS = 500;      // first retry after 0.25 to 0.5 s
  const RECONNECT_CAP_MS = 15000;     // never wait longer than 15 s between tries
  const ROOMS_REFRESH_MS = 10000;     // how often the list of all rooms is asked for
  const TOAST_MS = 5000;
  const DEFAULT_ROOM = 'lobby';
  const ROOM_NAME = /^[a-z0-9_-]{1,64}$/;

  const ERROR_WORDS = {
    bad_json: 'The server could not read what the page sent.',
    bad_request: 'The server refused a request it could not use (a field was missing or empty).',
    unknown_type: 'The server does not know that kind of request.',
    not_logged_in: 'You are not logged in yet.',
    name_taken: 'Someone online already has that name. Pick another one.',
    bad_name: 'A name is 1 to 32 letters, digits, _ or -.',
    bad_room: 'A room name is 1 to 64 characters: a to z, 0 to 9, _ and -.',
    not_in_room: 'You are not in that room; join it first.',
    too_long: 'That message is too long.',
    no_such_user: 'Nobody with that name is online.',
    rate_limited: 'You are sending too fast. Wait a moment, then try again.',
  };

  // ---- state ----
  // Conversations are rooms ("#java") and whispers with one person ("@bob"); key -> conversation.
  const conversations = new Map();
  const state = {
    name: null,              // the name we are logged in with (as the server spelled it)
    wantedName: null,        // the name typed in the form
    socket: null,
    loggedIn: false,
    everLoggedIn: false,
    attempt: 0,              // reconnect attempts since the last welcome
    reconnectTimer: null,
    reconnectAt: 0,
    countdownTimer: null,
    roomsTimer: null,
    current: null,           // key of the conversation on screen
    leftLobby: false,        // the user left the lobby; leave it again after each re-login
    nextRef: 1,
    pending: new Map(),      // ref -> what the request was, to word its error
    allRooms: [],            // [{name, members}] from the last "rooms" reply
  };

  const $ = (id) => document.getElementById(id);
  const el = {};
  for (const id of ['login-view', 'login-form', 'login-name', 'login-error', 'login-submit', 'chat-view',
    'menu-button', 'menu-badge', 'conversation-title', 'conversation-subtitle', 'status', 'status-text',
    'leave-button', 'banner', 'banner-text', 'retry-button', 'sidebar', 'scrim', 'me-avatar', 'me-name',
    'my-rooms', 'join-form', 'join-room', 'other-rooms', 'no-other-rooms', 'dm-list', 'no-dms',
    'members-section', 'members-room', 'members-count', 'members', 'messages', 'composer',
    'composer-input', 'send-button', 'toast']) {
    el[id.replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = $(id);
  }

  // ---- small helpers ----
  const roomKey = (room) => '#' + room;
  const dmKey = (peer) => '@' + peer.toLowerCase();
  const sameName = (a, b) => a != null && b != null && a.toLowerCase() === b.toLowerCase();

  function node(tag, className, text) {
    const n = document.createElement(tag);
    if (className) n.className = className;
    if (text != null) n.textContent = String(text);
    return n;
  }

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

  function describeError(msg) {
    const words = ERROR_WORDS[msg.code] || msg.message || ('The server said: ' + msg.code);
    const req = msg.ref != null ? state.pending.get(msg.ref) : undefined;
    if (!req) return words;
    switch (req.type) {
      case 'join': return 'Could not join #' + req.room + ': ' + words;
      case 'leave': return 'Could not leave #' + req.room + ': ' + words;
      case 'say': return 'Not sent to #' + req.room + ': ' + words;
      case 'whisper': return 'Whisper to ' + req.to + ' not sent: ' + words;
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

  // ---- conversations ----
  function conversation(key, make) {
    let c = conversations.get(key);
    if (!c && make) {
      c = key.startsWith('#')
        ? { key, kind: 'room', room: key.slice(1), title: key, lastSeq: 0, members: [], entries: [], unread: 0, joined: false }
        : { key, kind: 'dm', peer: key.slice(1), title: key.slice(1), entries: [], unread: 0 };
      conversations.set(key, c);
    }
    return c;
  }

  function addEntry(c, entry) {
    c.entries.push(entry);
    if (c.key === state.current) {
      appendEntryNode(entry, c.entries[c.entries.length - 2]);
    } else if (entry.kind === 'message' || entry.kind === 'direct') {
      c.unread++;
      renderSidebar();
    }
  }

  function entryNode(entry, previous) {
    if (entry.kind === 'event' || entry.kind === 'error') {
      const li = node('li', 'event' + (entry.kind === 'error' ? ' error' : ''));
      li.append(node('span', 'event-text', entry.text));
      if (entry.ts) li.append(node('time', 'event-time', clock(entry.ts)));
      return li;
    }
    const mine = sameName(entry.from, state.name);
    const grouped = previous && previous.kind === entry.kind && previous.from === entry.from
      && (entry.ts || 0) - (previous.ts || 0) < 5 * 60 * 1000;
    const li = node('li', 'msg' + (mine ? ' mine' : '') + (grouped ? ' grouped' : '') + (entry.kind === 'direct' ? ' direct' : ''));
    if (entry.seq != null) li.dataset.seq = String(entry.seq);
    if (entry.room != null) li.dataset.room = entry.room;
    li.dataset.from = entry.from;
    li.append(avatar(entry.from));
    const body = node('div', 'msg-body');
    const head = node('div', 'msg-head');
    head.append(node('span', 'msg-from', entry.from));
    if (entry.kind === 'direct') head.append(node('span', 'msg-to', '→ ' + entry.to));
    head.append(node('time', 'msg-time', clock(entry.ts)));
    body.append(head, node('div', 'msg-text', entry.text));
    li.append(body);
    return li;
  }

  function appendEntryNode(entry, previous) {
    const list = el.messages;
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    for (const placeholder of list.querySelectorAll('.empty-conversation')) placeholder.remove();
    list.append(entryNode(entry, previous));
    if (nearBottom || sameName(entry.from, state.name)) list.scrollTop = list.scrollHeight;
  }

  function renderMessages() {
    const c = conversations.get(state.current);
    el.messages.replaceChildren();
    if (!c) {
      el.messages.append(node('li', 'empty-conversation', 'Join a room to start chatting.'));
      return;
    }
    let previous;
    const frag = document.createDocumentFragment();
    for (const entry of c.entries) {
      frag.append(entryNode(entry, previous));
      previous = entry;
    }
    if (c.entries.length === 0) {
      frag.append(node('li', 'empty-conversation',
        c.kind === 'room' ? 'No messages in ' + c.title + ' yet. Say hello!' : 'Whisper to ' + c.peer + ': only the two of you see it.'));
    }
    el.messages.append(frag);
    el.messages.scrollTop = el.messages.scrollHeight;
  }

  function select(key) {
    state.current = key;
    const c = conversations.get(key);
    if (c) c.unread = 0;
    renderHeader();
    renderSidebar();
    renderMessages();
    closeSidebar();
  }

  function renderHeader() {
    const c = conversations.get(state.current);
    el.conversationTitle.textContent = c ? c.title : 'No room';
    if (c && c.kind === 'room') {
      el.conversationSubtitle.textContent = c.members.length + (c.members.length === 1 ? ' member' : ' members');
      el.composerInput.placeholder = 'Message ' + c.title;
      el.leaveButton.hidden = false;
      el.leaveButton.textContent = 'Leave';
    } else if (c) {
      el.conversationSubtitle.textContent = 'whisper';
      el.composerInput.placeholder = 'Whisper to ' + c.peer;
      el.leaveButton.hidden = false;
      el.leaveButton.textContent = 'Close';
    } else {
      el.conversationSubtitle.textContent = '';
      el.composerInput.placeholder = 'Join a room first (/join name)';
      el.leaveButton.hidden = true;
    }
    document.title = (c ? c.title + ' · ' : '') + 'Chat';
  }

  function navItem(label, key, opts) {
    const li = node('li');
    const b = node('button', 'nav-item' + (key === state.current ? ' active' : ''));
    b.type = 'button';
    if (opts.avatarName) b.append(avatar(opts.avatarName, 'small'));
    b.append(node('span', 'nav-label', label));
    if (opts.count != null) b.append(node('span', 'count', opts.count));
    if (opts.unread) b.append(node('span', 'badge', opts.unread > 99 ? '99+' : opts.unread));
    b.addEventListener('click', opts.onClick);
    li.append(b);
    return li;
  }

  function renderSidebar() {
    const rooms = [...conversations.values()].filter((c) => c.kind === 'room').sort((a, b) => a.room.localeCompare(b.room));
    const dms = [...conversations.values()].filter((c) => c.kind === 'dm');
    el.myRooms.replaceChildren(...rooms.map((c) => navItem(c.title, c.key,
      { unread: c.unread, count: c.members.length, onClick: () => select(c.key) })));
    const others = state.allRooms.filter((r) => !conversations.has(roomKey(r.name)));
    el.otherRooms.replaceChildren(...others.map((r) => navItem('#' + r.name, null,
      { count: r.members, onClick: () => joinRoom(r.name) })));
    el.noOtherRooms.hidden = others.length > 0;
    el.dmList.replaceChildren(...dms.map((c) => navItem(c.peer, c.key,
      { avatarName: c.peer, unread: c.unread, onClick: () => select(c.key) })));
    el.noDms.hidden = dms.length > 0;

    const c = conversations.get(state.current);
    el.membersSection.hidden = !(c && c.kind === 'room');
    if (c && c.kind === 'room') {
      el.membersRoom.textContent = c.title;
      el.membersCount.textContent = String(c.members.length);
      el.members.replaceChildren(...c.members.map((name) => {
        const li = node('li');
        const me = sameName(name, state.name);
        const b = node('button', 'member' + (me ? ' me' : ''));
        b.type = 'button';
        b.title = me ? 'you' : 'whisper to ' + name;
        b.append(avatar(name, 'small'), node('span', 'nav-label', name));
        if (me) b.append(node('span', 'muted small', 'you'));
        else b.addEventListener('click', () => openWhisper(name));
        li.append(b);
        return li;
      }));
    }
    const unread = [...conversations.values()].reduce((n, c2) => n + (c2.key === state.current ? 0 : c2.unread), 0);
    el.menuBadge.hidden = unread === 0;
    el.menuBadge.textContent = String(unread);
  }

  // ---- the sidebar on a phone ----
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
      onSocketGone(null, 'could not open ' + url);
      return;
    }
    state.socket = socket;
    socket.onopen = () => {
      if (state.socket !== socket) return;
      send({ type: 'login', name: state.wantedName });
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
      onSocketGone(socket, event.code + (event.reason ? ' ' + event.reason : ''));
    };
    socket.onerror = () => { /* onclose follows and says what happened */ };
  }

  function onSocketGone(socket, why) {
    state.socket = null;
    state.loggedIn = false;
    clearInterval(state.roomsTimer);
    if (!state.everLoggedIn) {
      // Never got in: the login form stays, with the reason.
      setStatus('offline', 'Offline');
      showLoginError('Cannot reach the chat server (' + why + '). Check that it runs, then try again.');
      return;
    }
    scheduleReconnect('Connection lost (' + why + ').');
  }

  function scheduleReconnect(why) {
    // Equal jitter: half the capped exponential delay, plus a random part of the other half, so
    // that many pages dropped at once do not all come back in the same instant.
    const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.min(state.attempt, 16));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    state.attempt++;
    state.reconnectAt = Date.now() + delay;
    setStatus('offline', 'Offline');
    el.banner.hidden = false;
    const tick = () => {
      const s = Math.max(0, Math.ceil((state.reconnectAt - Date.now()) / 1000));
      el.bannerText.textContent = why + ' Reconnecting in ' + s + ' s…';
    };
    tick();
    clearInterval(state.countdownTimer);
    state.countdownTimer = setInterval(tick, 500);
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = setTimeout(connect, delay);
  }

  function onWelcome(msg) {
    const again = state.everLoggedIn;
    state.name = msg.name;
    state.loggedIn = true;
    state.everLoggedIn = true;
    state.attempt = 0;
    clearInterval(state.countdownTimer);
    el.banner.hidden = true;
    setStatus('online', 'Online');
    document.body.dataset.state = 'chat';
    el.loginView.hidden = true;
    el.chatView.hidden = false;
    el.meName.textContent = state.name;
    el.meAvatar.replaceWith(el.meAvatar = Object.assign(avatar(state.name), { id: 'me-avatar' }));
    if (again) {
      const c = conversations.get(state.current);
      if (c) addEntry(c, { kind: 'event', text: 'Reconnected. What you missed follows.', ts: Date.now() });
      // The server puts us in the lobby by itself; every other room is rejoined from where we were.
      for (const c of conversations.values()) {
        if (c.kind === 'room' && c.room !== DEFAULT_ROOM) {
          c.joined = false;
          send({ type: 'join', room: c.room, since: c.lastSeq }, { rejoin: true });
        }
      }
    } else {
      el.composerInput.focus();
    }
    requestRooms();
    clearInterval(state.roomsTimer);
    state.roomsTimer = setInterval(requestRooms, ROOMS_REFRESH_MS);
  }

  function requestRooms() {
    if (state.loggedIn) send({ type: 'rooms' });
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
      case 'rooms': state.allRooms = Array.isArray(msg.rooms) ? msg.rooms : []; renderSidebar(); break;
      case 'error': onError(msg); break;
      default: console.warn('unknown message from the server', msg);
    }
    if (msg.ref != null && msg.type !== 'error') state.pending.delete(msg.ref);
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
    c.members = Array.isArray(msg.members) ? msg.members.slice() : [];
    const history = Array.isArray(msg.history) ? msg.history : [];
    if (existed && msg.recovered === false && history.length > 0 && history[history.length - 1].seq <= c.lastSeq) {
      // The room started over on the server (it restarted, or the room emptied and was forgotten):
      // its seq counts from 1 again, so what we saw before says nothing about what is new.
      c.lastSeq = 0;
      addEntry(c, { kind: 'event', text: c.title + ' started over on the server.' });
    }
    const missedUnknown = msg.recovered === false
      || (existed && c.lastSeq > 0 && history.length > 0 && history[0].seq > c.lastSeq + 1);
    if (existed && missedUnknown) {
      addEntry(c, { kind: 'event', text: 'Some messages sent while you were away are no longer kept.' });
    }
    for (const m of history) onMessage(Object.assign({ room: msg.room }, m));
    if (msg.room === DEFAULT_ROOM) state.leftLobby = false;
    if (asked || !state.current || !conversations.has(state.current)) select(c.key);
    else if (c.key === state.current) { renderHeader(); renderSidebar(); }
    else renderSidebar();
    requestRooms();
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
  }

  function onPresence(msg) {
    const c = conversation(roomKey(msg.room), false);
    if (!c) return;
    const i = c.members.findIndex((n) => sameName(n, msg.name));
    if (msg.event === 'join' && i < 0) c.members.push(msg.name);
    if (msg.event === 'leave' && i >= 0) c.members.splice(i, 1);
    addEntry(c, { kind: 'event', text: msg.name + (msg.event === 'join' ? ' joined ' : ' left ') + c.title, ts: Date.now() });
    if (c.key === state.current) renderHeader();
    renderSidebar();
  }

  function onMessage(msg) {
    const c = conversation(roomKey(msg.room), false);
    if (!c) return;
    // seq numbers a room's messages from 1 without gaps: anything at or below the last one seen is
    // a copy (history overlapping what arrived live), and is shown once only.
    if (typeof msg.seq === 'number') {
      if (msg.seq <= c.lastSeq) return;
      c.lastSeq = msg.seq;
    }
    addEntry(c, { kind: 'message', room: msg.room, from: msg.from, text: msg.text, seq: msg.seq, ts: msg.ts });
  }

  function onDirect(msg) {
    const peer = sameName(msg.from, state.name) ? msg.to : msg.from;
    const c = conversation(dmKey(peer), true);
    c.peer = peer;
    c.title = peer;
    const isNew = c.entries.length === 0 && c.key !== state.current;
    addEntry(c, { kind: 'direct', from: msg.from, to: msg.to, text: msg.text, ts: msg.ts });
    if (isNew) renderSidebar();
  }

  function onMembers(msg) {
    const c = conversation(roomKey(msg.room), false);
    if (!c || !Array.isArray(msg.members)) return;
    c.members = msg.members.slice();
    if (c.key === state.current) renderHeader();
    renderSidebar();
  }

  function onError(msg) {
    const text = describeError(msg);
    const req = msg.ref != null ? state.pending.get(msg.ref) : undefined;
    if (msg.ref != null) state.pending.delete(msg.ref);
    if (req && req.type === 'login') {
      if (state.everLoggedIn && msg.code === 'name_taken') {
        // Our old connection may not be gone from the server yet: try again shortly.
        const socket = state.socket;
        state.socket = null;
        if (socket) socket.close(1000, 'retry login');
        scheduleReconnect('Waiting for the server to let go of the old connection.');
        return;
      }
      if (!state.everLoggedIn) {
        showLoginError(text);
        return;
      }
    }
    if (req && req.type === 'join' && !state.loggedIn) return;
    // In the conversation on screen when there is one (it stays readable there), else as a toast.
    const c = conversations.get(state.current);
    if (c) addEntry(c, { kind: 'error', text, ts: Date.now() });
    else toast(text);
  }

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
      return;
    }
    const key = roomKey(room);
    if (conversations.has(key)) {
      select(key);
      return;
    }
    if (!send({ type: 'join', room })) toast('Not connected: wait until the page is back online.');
  }

  function openWhisper(name) {
    const c = conversation(dmKey(name), true);
    c.peer = name;
    c.title = name;
    select(c.key);
    el.composerInput.focus();
  }

  function runCommand(text) {
    const [command, ...rest] = text.slice(1).split(/\s+/);
    switch (command.toLowerCase()) {
      case 'w': case 'whisper': case 'msg': {
        const [to, ...words] = rest;
        const body = text.replace(/^\/\S+\s+\S+\s?/, '');
        if (!to || words.length === 0) { toast('Whisper with: /w name text'); return false; }
        const c = conversation(dmKey(to), true);
        if (c.entries.length === 0) { c.peer = to; c.title = to; }
        if (!send({ type: 'whisper', to, text: body })) return offline();
        select(c.key);
        return true;
      }
      case 'join': case 'j':
        if (!rest[0]) { toast('Join with: /join room'); return false; }
        joinRoom(rest[0]);
        return true;
      case 'leave': case 'part': {
        const c = conversations.get(state.current);
        const room = rest[0] ? rest[0].replace(/^#/, '') : (c && c.kind === 'room' ? c.room : null);
        if (!room) { toast('Leave with: /leave room'); return false; }
        return send({ type: 'leave', room }) ? true : offline();
      }
      case 'help':
        toast('/w name text whispers · /join room · /leave [room]');
        return true;
      default:
        toast('Unknown command /' + command + '. Try /help.');
        return false;
    }
  }

  function offline() {
    toast('Not connected: your message was not sent. The page reconnects by itself.');
    return false;
  }

  el.loginForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = el.loginName.value.trim();
    el.loginError.textContent = '';
    if (!/^[\p{L}\p{N}_-]{1,32}$/u.test(name)) {
      showLoginError(ERROR_WORDS.bad_name);
      return;
    }
    state.wantedName = name;
    el.loginSubmit.disabled = true;
    if (state.socket && state.socket.readyState === WebSocket.OPEN) send({ type: 'login', name });
    else connect();
  });

  el.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = el.composerInput.value;
    if (text.trim() === '') return;
    let sent;
    if (text.startsWith('/') && !text.startsWith('//')) {
      sent = runCommand(text.trim());
    } else {
      const body = text.startsWith('//') ? text.slice(1) : text;
      const c = conversations.get(state.current);
      if (!c) { toast('Join a room first.'); return; }
      const ref = c.kind === 'room' ? send({ type: 'say', room: c.room, text: body }) : send({ type: 'whisper', to: c.peer, text: body });
      sent = ref ? true : offline();
    }
    if (sent) el.composerInput.value = '';
    el.composerInput.focus();
  });

  el.joinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const room = el.joinRoom.value;
    if (room.trim() === '') return;
    joinRoom(room);
    el.joinRoom.value = '';
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

  el.retryButton.addEventListener('click', () => connect());
  el.menuButton.addEventListener('click', () => {
    if (document.body.classList.contains('sidebar-open')) closeSidebar(); else openSidebar();
  });
  el.scrim.addEventListener('click', closeSidebar);
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape') closeSidebar(); });
  el.toast.addEventListener('click', () => { el.toast.hidden = true; });
  window.addEventListener('online', () => { if (state.reconnectTimer) connect(); });

  renderHeader();
})();
