// The 112 operator console: plain JavaScript over fetch and one EventSource (docs/operator-api.md).
// Every text comes from i18n.js; every value from the engine is put in the page as text, never as markup.
"use strict";

const S = {
  lang: localStorage.getItem("console.lang") || "kk",
  me: null, settings: null, view: null,
  picture: { callTakers: [], waiting: [], groups: [] },
  card: null, earlier: [], transfer: null, ended: null, offer: null,
  wallboard: null, history: [], story: null, events: null, linkDown: false,
  callbacks: [], callbackNow: null,
};

// ---- text -------------------------------------------------------------------------------------------
function t(key, args) {
  const dict = window.I18N[S.lang] || window.I18N.en;
  let text = dict[key] ?? window.I18N.en[key] ?? key;
  if (args) for (const [k, v] of Object.entries(args)) text = text.replace("{" + k + "}", String(v));
  return text;
}
const tOr = (key, raw) => { const v = t(key); return v === key ? raw : v; };
const agencyName = a => a ? tOr("agency." + a, a) : "—";
const entryName = e => e ? (e.startsWith("callback:") ? t("entry.callback") : tOr("entry." + e, e)) : "—";
const outcomeName = o => o ? tOr("outcome." + o, o) : t("outcome.open");
function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return s < 60 ? t("sec", { n: s }) : t("min", { m: Math.floor(s / 60), s: s % 60 });
}
const since = iso => (Date.now() - Date.parse(iso)) / 1000;
const clock = iso => iso ? new Date(iso).toLocaleTimeString(S.lang === "en" ? "en-GB" : S.lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "";
const dateTime = iso => iso ? new Date(iso).toLocaleString(S.lang === "en" ? "en-GB" : S.lang) : "";

// ---- DOM --------------------------------------------------------------------------------------------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "disabled" || k === "hidden" || k === "selected" || k === "checked") el[k] = !!v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
const $ = id => document.getElementById(id);
function table(headers, rows, id) {
  return h("table", { id }, h("thead", {}, h("tr", {}, headers.map(x => h("th", { class: x.num ? "num" : null }, x.text ?? x)))), h("tbody", {}, rows));
}

let toastTimer = 0;
function toast(message, kind) {
  const el = $("toast");
  el.textContent = message;
  el.className = kind || "";
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 6000);
}

// ---- API --------------------------------------------------------------------------------------------
async function api(method, path, body) {
  const response = await fetch(path, {
    method, credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(data && data.message ? data.message : response.status + " " + response.statusText);
    error.status = response.status;
    throw error;
  }
  return data;
}

// A button's action: the API's refusal is shown as it is, word for word.
async function act(label, method, path, body) {
  try {
    await api(method, path, body);
    toast(t("accepted", { a: label }), "info");
    return true;
  } catch (e) {
    toast(e.message);
    if (e.status === 401) boot();
    return false;
  }
}

// ---- sign-in ----------------------------------------------------------------------------------------
async function boot() {
  if (S.events) { S.events.close(); S.events = null; }
  S.settings = await api("GET", "/console/settings");
  try {
    S.me = await api("GET", "/api/me");
  } catch (e) {
    S.me = null;
  }
  renderChrome();
  if (!S.me) { renderSignIn(); return; }
  S.view = S.view || (S.me.role === "supervisor" ? "wallboard" : "calltaker");
  connect();
  render();
}

function renderSignIn() {
  const error = h("div", { class: "error", id: "signin-error" });
  const user = h("input", { id: "signin-user", autocomplete: "username", required: true });
  const password = h("input", { id: "signin-password", type: "password", autocomplete: "current-password", required: true });
  const form = h("form", { class: "panel signin", id: "signin", onsubmit: async ev => {
    ev.preventDefault();
    try {
      await api("POST", "/console/signin", { user: user.value, password: password.value });
      S.view = null;
      await boot();
    } catch (e) {
      error.textContent = e.message;
    }
  } },
    h("h2", {}, t("title")),
    S.settings.signIn ? [h("label", { for: "signin-user" }, t("user")), user, h("label", { for: "signin-password" }, t("password")), password,
      h("button", { class: "primary", type: "submit", id: "signin-submit" }, t("signIn"))] : h("p", { class: "error" }, t("signInOff")),
    error);
  $("main").replaceChildren(form);
  user.focus();
}

async function signOut() {
  await fetch("/console/signout", { method: "POST", credentials: "same-origin" });
  S.me = null; S.view = null; S.card = null;
  boot();
}

// ---- live events ------------------------------------------------------------------------------------
function connect() {
  const source = new EventSource("/api/events");
  S.events = source;
  source.onopen = () => { S.linkDown = false; renderChrome(); };
  source.onerror = () => {
    S.linkDown = true; renderChrome();
    // The browser retries by itself, except after a refusal (session ended): then sign in again.
    if (source.readyState === EventSource.CLOSED && S.events === source) setTimeout(boot, 3000);
  };
  const on = (type, fn) => source.addEventListener(type, ev => { fn(JSON.parse(ev.data)); if (S.view !== "history") render(); });
  on("centre", picture => { S.picture = picture; refreshMine(); loadCallbacks(); });
  // A call back's progress (ringing the call-taker, dialling, talking, over): the list and the wallboard follow it.
  on("callback", cb => { S.callbackNow = cb; loadCallbacks(); if (S.view === "wallboard") loadWallboard(); });
  on("calltaker", ct => {
    const list = S.picture.callTakers;
    const i = list.findIndex(x => x.position === ct.position);
    if (i >= 0) list[i] = ct; else list.push(ct);
    if (mine() && mine().position === ct.position) refreshMine();
  });
  on("queue", q => { S.picture.waiting = q.waiting; S.picture.groups = q.groups; loadCallbacks(); });
  // An offer names the call, its priority and language, not its card: the card is the call-taker's once it answers.
  on("offer", o => { if (mine() && o.position === mine().position) S.offer = o; });
  on("call", card => {
    if (S.card && card.callId === S.card.callId) { S.card = card; if (card.transfer) S.transfer = card.transfer; }
    else if (mine() && card.callId === mine().callId) setCard(card); // the card can come before the position's own event
  });
  if (typeof connectChat === "function") connectChat(on);
  on("transfer", tr => { if (S.card && tr.callId === S.card.callId) S.transfer = tr; });
  on("callEnded", e => {
    if (S.card && e.callId === S.card.callId) { S.ended = e.outcome; S.card = { ...S.card, state: "Ended", outcome: e.outcome }; }
    if (S.view === "wallboard") loadWallboard();
  });
}

function mine() {
  return S.me ? S.picture.callTakers.find(c => c.user && c.user.toLowerCase() === S.me.user.toLowerCase()) : null;
}

// The position's call: keep the card while the call lives or the wrap-up lasts; fetch it when the
// position holds a call this console has no card for (after a reload).
async function refreshMine(tries = 0) {
  const me = mine();
  if (!me || S.me.role === "supervisor") return;
  // A call back is not a call of the engine's queue: it has no card, its panel shows it.
  if (me.callId && me.callId.startsWith("callback-")) return;
  if (me.callId && !me.callId.startsWith("txt-") && (!S.card || S.card.callId !== me.callId)) { // text sessions: chat.js
    try {
      setCard(await api("GET", "/api/calls/" + encodeURIComponent(me.callId))); render();
    } catch (e) {
      // The position can know its call a moment before the call knows its call-taker: ask again shortly.
      if (tries < 20) setTimeout(() => refreshMine(tries + 1), 500);
    }
  }
  // Back to Available, Paused or logged out: the last call's card has served its purpose.
  if (!me.callId && me.state !== "WrapUp" && S.card) { S.card = null; S.transfer = null; S.ended = null; S.earlier = []; }
}

async function setCard(card) {
  const fresh = !S.card || S.card.callId !== card.callId;
  S.card = card; S.transfer = card.transfer; if (fresh) { S.ended = null; S.earlier = []; }
  if (fresh) {
    try { S.earlier = await api("GET", "/api/calls/" + encodeURIComponent(card.callId) + "/earlier"); render(); } catch (e) { S.earlier = []; }
  }
}

// ---- chrome -----------------------------------------------------------------------------------------
function renderChrome() {
  document.documentElement.lang = S.lang;
  document.title = t("title");
  $("lang").value = S.lang;
  const tabs = !S.me ? [] : S.me.role === "supervisor" ? ["wallboard", "history"] : ["calltaker"];
  $("tabs").replaceChildren(...tabs.map(v => h("button", { id: "tab-" + v, class: S.view === v ? "on" : null, onclick: () => { S.view = v; if (v === "wallboard") loadWallboard(); render(); } }, t("tab." + v))));
  $("who").textContent = S.me ? S.me.user + " · " + (S.me.role === "supervisor" ? t("tab.wallboard") : t("tab.calltaker")) : "";
  $("signout").hidden = !S.me;
  $("signout").textContent = t("signOut");
  $("link").textContent = S.linkDown ? t("link.down") : "";
  $("link").className = S.linkDown ? "link down" : "link";
}

function render() {
  renderChrome();
  if (!S.me) { renderSignIn(); return; }
  const focused = document.activeElement && document.activeElement.id;
  const keep = snapshotInputs();
  const view = S.view === "wallboard" ? renderWallboard() : S.view === "history" ? renderHistory() : renderCallTaker();
  $("main").replaceChildren(view);
  restoreInputs(keep);
  if (focused && $(focused)) $(focused).focus();
}

// Live updates redraw the page: what the operator is typing survives them.
function snapshotInputs() {
  const values = {};
  document.querySelectorAll("main input, main select, main textarea").forEach(el => { if (el.id) values[el.id] = el.type === "radio" ? el.checked : el.value; });
  return values;
}
function restoreInputs(values) {
  for (const [id, v] of Object.entries(values)) {
    const el = $(id);
    if (!el) continue;
    if (el.type === "radio") el.checked = v; else el.value = v;
  }
}

// ---- call-taker -------------------------------------------------------------------------------------
const ACTIVE_TRANSFER = ["dialing", "ringing", "busy", "noanswer", "answered"];
const PAUSE_REASONS = ["break", "meal", "training", "technical", "supervisor"];

function renderCallTaker() {
  const me = mine();
  const state = me ? me.state : "LoggedOut";
  const card = S.card;
  const transfer = S.transfer;
  const transferActive = !!transfer && ACTIVE_TRANSFER.includes(transfer.state);
  const onCall = state === "OnCall" && card && card.state !== "Ended";
  const onHold = !!(card && card.onHold);
  const wrapUp = state === "WrapUp";
  const callLives = card && card.state !== "Ended";
  const pos = me ? me.position : null;
  const posPath = p => "/api/calltakers/" + encodeURIComponent(p);
  const callPath = a => "/api/calls/" + encodeURIComponent(card.callId) + "/" + a;

  // Position and state.
  const free = S.picture.callTakers.filter(c => c.state === "LoggedOut" || !c.user);
  const positionRow = h("div", { class: "panel" },
    h("div", { class: "row" },
      h("label", { for: "position" }, t("position")),
      me ? h("strong", { id: "my-position" }, me.position) : h("select", { id: "position" }, free.map(c => h("option", { value: c.position }, c.position + (c.reachable ? "" : " — " + t("device.unreachable"))))),
      h("button", { id: "btn-login", class: "primary", disabled: !!me || free.length === 0, onclick: () => act(t("login"), "POST", posPath($("position").value) + "/login", {}) }, t("login")),
      h("span", { class: "state " + state, id: "my-state" }, t("state." + state)),
      me ? h("span", { class: "muted", id: "my-since", "data-since": me.since }, duration(since(me.since))) : null,
      me && me.pauseReason ? h("span", { class: "muted" }, "(" + tOr("pause." + me.pauseReason, me.pauseReason) + ")") : null,
      me && !me.reachable ? h("span", { class: "poor" }, t("device.unreachable")) : null),
    h("div", { class: "row" },
      h("label", { for: "pause-reason" }, t("reason")),
      h("select", { id: "pause-reason" }, PAUSE_REASONS.map(r => h("option", { value: r }, t("pause." + r)))),
      h("button", { id: "btn-pause", disabled: !(state === "Available" || state === "WrapUp"), onclick: () => act(t("pause"), "POST", posPath(pos) + "/pause", { reason: $("pause-reason").value }) }, t("pause")),
      h("button", { id: "btn-resume", class: "primary", disabled: !(state === "Paused" || state === "WrapUp"), onclick: () => act(t("resume"), "POST", posPath(pos) + "/resume", {}) }, t("resume")),
      h("button", { id: "btn-logout", disabled: !(state === "Available" || state === "Paused" || state === "WrapUp"), onclick: () => act(t("logout"), "POST", posPath(pos) + "/logout", {}) }, t("logout")),
      wrapUp && S.settings.wrapUp ? h("span", { class: "countdown", id: "wrapup", "data-until": new Date(Date.parse(me.since) + S.settings.wrapUp * 1000).toISOString() }, wrapUpText(me.since)) : null));

  const offerMode = (pos && (S.settings.offerModes || {})[pos]) || S.settings.offerMode;
  const offer = state === "Offered" && !(me.callId || "").startsWith("txt-") ? h("div", { class: "offer", id: "offer" },
    offerMode === "Device" ? t("offer.device") : t("offer.console"), " ",
    S.offer && S.offer.callId === me.callId ? h("span", { id: "offer-call" }, tOr("priority." + S.offer.priority, S.offer.priority), S.offer.language ? " · " + S.offer.language : "", " ") : null,
    h("button", { id: "btn-accept", class: "primary big", hidden: offerMode === "Device", onclick: () => act(t("accept"), "POST", posPath(pos) + "/accept", { callId: me.callId }) }, t("accept"))) : null;

  // The call card.
  const cardPanel = h("div", { class: "panel", id: "card" }, h("h2", {}, t("call"), onHold ? " · " + t("onHold") : "", S.ended ? " · " + t("ended") : ""),
    !card ? h("p", { class: "muted" }, t("noCall")) : h("dl", { class: "card" },
      h("dt", {}, t("card.number")), h("dd", { class: "number", id: "card-number" }, card.callerNumber || t("unknown")),
      h("dt", {}, t("card.entry")), h("dd", { id: "card-entry", class: (card.entry || "").startsWith("sos") ? "sos" : null }, entryName(card.entry)),
      h("dt", {}, t("card.region")), h("dd", {}, card.region || "—"),
      h("dt", {}, t("card.language")), h("dd", {}, card.language || "—"),
      h("dt", {}, t("card.waited")), h("dd", {}, duration(card.waited)),
      h("dt", {}, t("card.ivrHint")), h("dd", {}, card.ivrHint ? agencyName(card.ivrHint) : "—"),
      h("dt", {}, t("card.location")), h("dd", { id: "card-location" }, card.location || t("unknown"),
        card.where && card.where.mapLink ? [" ", h("a", { id: "card-map", href: card.where.mapLink, target: "_blank", rel: "noopener noreferrer" }, t("card.map"))] : null,
        card.where ? h("div", { class: "muted", id: "card-location-source" }, card.where.source + (card.where.accuracyMeters != null ? " · ±" + Math.round(card.where.accuracyMeters) + " m" : "")) : null),
      h("dt", {}, t("card.classification")), h("dd", { id: "card-classification" }, card.classification
        ? [t("kind." + card.classification.kind), card.classification.agency ? agencyName(card.classification.agency) : null, card.classification.incidentType].filter(Boolean).join(" · ") : "—"),
      S.ended ? [h("dt", {}, t("ended")), h("dd", { id: "card-outcome" }, outcomeName(S.ended))] : null),
    card ? h("div", {}, h("h2", {}, t("card.earlier")), S.earlier.length === 0 ? h("p", { class: "muted", id: "earlier" }, t("none")) :
      table([t("h.arrived"), t("h.entry"), t("h.outcome")], S.earlier.map(c => h("tr", {}, h("td", {}, dateTime(c.arrivedAt)), h("td", {}, entryName(c.entry)), h("td", {}, outcomeName(c.outcome)))), "earlier")) : null);

  // Decisions.
  const agencies = S.settings.agencies || [];
  const canClassify = !!card && callLives && (onCall || wrapUp);
  const kinds = ["emergency", "nonEmergency", "prank", "silent"];
  const classify = h("div", { class: "panel" }, h("h2", {}, t("classify")),
    h("div", { class: "row" }, kinds.map(k => h("label", {}, h("input", { type: "radio", name: "kind", id: "kind-" + k, value: k, checked: k === "emergency" }), " ", t("kind." + k)))),
    h("div", { class: "row" },
      h("label", { for: "classify-agency" }, t("agency")), h("select", { id: "classify-agency" }, agencies.map(a => h("option", { value: a }, agencyName(a)))),
      h("label", { for: "incident" }, t("incidentType")), h("input", { id: "incident", maxlength: 80, size: 18 })),
    h("textarea", { id: "note", maxlength: 500, placeholder: t("note"), "aria-label": t("note") }),
    h("div", { class: "row" }, h("button", { id: "btn-classify", class: "primary", disabled: !canClassify, onclick: () => {
      const kind = (document.querySelector("input[name=kind]:checked") || {}).value || "emergency";
      const body = { kind, agency: kind === "emergency" ? $("classify-agency").value : null, incidentType: $("incident").value || null, note: $("note").value || null };
      act(t("classify"), "POST", callPath("classify"), body);
    } }, t("classify"))));

  const canTransfer = onCall && !transferActive && !onHold;
  const transferPanel = h("div", { class: "panel" }, h("h2", {}, t("transfer")),
    h("div", { class: "row" },
      h("label", { for: "transfer-agency" }, t("agency")), h("select", { id: "transfer-agency" }, agencies.map(a => h("option", { value: a }, agencyName(a)))),
      h("button", { id: "btn-warm", class: "primary", disabled: !canTransfer, onclick: () => act(t("transfer.warm"), "POST", callPath("transfer"), { agency: $("transfer-agency").value, mode: "warm" }) }, t("transfer.warm")),
      h("button", { id: "btn-blind", disabled: !canTransfer, onclick: () => act(t("transfer.blind"), "POST", callPath("transfer"), { agency: $("transfer-agency").value, mode: "blind" }) }, t("transfer.blind"))),
    transfer ? h("div", { class: "progress " + transfer.state, id: "transfer-progress" },
      agencyName(transfer.agency), " · ", tOr("tstate." + transfer.state, transfer.state),
      transfer.trunk ? " · " + transfer.trunk : "", transfer.attempt > 1 && ACTIVE_TRANSFER.includes(transfer.state) ? " · " + t("tstate.secondary", { n: transfer.attempt }) : "") : null,
    h("div", { class: "row" },
      h("button", { id: "btn-complete", class: "primary", disabled: !(onCall && transfer && transfer.mode === "warm" && transfer.state === "answered"), onclick: () => act(t("transfer.complete"), "POST", callPath("transfer/complete")) }, t("transfer.complete")),
      h("button", { id: "btn-cancel", disabled: !(onCall && transferActive), onclick: () => act(t("transfer.cancel"), "POST", callPath("transfer/cancel")) }, t("transfer.cancel"))));

  const locationPanel = h("div", { class: "panel", id: "location-panel" }, h("h2", {}, t("location.set")),
    h("div", { class: "row" },
      h("input", { id: "loc-address", maxlength: 240, size: 28, placeholder: t("location.address"), "aria-label": t("location.address") })),
    h("div", { class: "row" },
      h("input", { id: "loc-lat", size: 9, inputmode: "decimal", placeholder: t("location.lat"), "aria-label": t("location.lat") }),
      h("input", { id: "loc-lon", size: 9, inputmode: "decimal", placeholder: t("location.lon"), "aria-label": t("location.lon") }),
      h("button", { id: "btn-location", disabled: !(!!card && callLives && onCall), onclick: () => {
        const num = id => { const v = $(id).value.trim().replace(",", "."); return v === "" ? null : Number(v); };
        act(t("location.set"), "POST", callPath("location"), { address: $("loc-address").value.trim() || null, latitude: num("loc-lat"), longitude: num("loc-lon") });
      } }, t("location.set"))));

  const callPanel = h("div", { class: "panel" },
    h("div", { class: "row" },
      h("button", { id: "btn-hold", disabled: !(onCall && !onHold && !transferActive), onclick: () => act(t("hold"), "POST", callPath("hold")) }, t("hold")),
      h("button", { id: "btn-unhold", disabled: !(onCall && onHold), onclick: () => act(t("unhold"), "POST", callPath("resume")) }, t("unhold")),
      h("button", { id: "btn-requeue", disabled: !(onCall && !transferActive), onclick: () => act(t("requeue"), "POST", callPath("requeue"), { reason: $("call-reason").value || null }) }, t("requeue")),
      h("button", { id: "btn-hangup", class: "danger", disabled: !onCall, onclick: () => act(t("hangup"), "POST", callPath("hangup"), { reason: $("call-reason").value || null }) }, t("hangup")),
      h("input", { id: "call-reason", maxlength: 80, placeholder: t("reason"), "aria-label": t("reason") })));

  return h("div", { id: "calltaker-view" }, positionRow, offer, typeof renderChat === "function" ? renderChat() : null,
    h("div", { class: "grid2" }, h("div", {}, cardPanel, callPanel, locationPanel), h("div", {}, classify, transferPanel)),
    callbacksPanel(me, state));
}

// ---- call backs -------------------------------------------------------------------------------------
async function loadCallbacks() {
  if (!S.me || S.me.role === "supervisor") return;
  try { S.callbacks = await api("GET", "/api/callbacks"); if (S.view === "calltaker") render(); } catch (e) { /* shown on the next event */ }
}

// Abandoned callers this call-taker may call back from its own phone: allowed when Available or in Wrap-up
// (the engine refuses otherwise, and its message is shown as it is).
function callbacksPanel(me, state) {
  const canCall = !!me && (state === "Available" || state === "WrapUp");
  const calling = me && me.callId && me.callId.startsWith("callback-");
  const now = S.callbackNow && calling && me.callId === S.callbackNow.callbackId ? S.callbackNow : null;
  const path = (id, a) => "/api/callbacks/" + encodeURIComponent(id) + "/" + a;
  const why = canCall ? null : h("p", { class: "muted", id: "callback-why" }, me ? t("cbk.notNow", { state: t("state." + state) }) : t("cbk.loginFirst"));
  const current = calling ? h("div", { class: "progress answered", id: "callback-now" },
    t("cbk.calling"), " · ", now ? tOr("cbs." + now.state, now.state) : "…",
    " ", h("button", { id: "btn-callback-hangup", class: "danger", onclick: () => act(t("cbk.hangup"), "POST", path(now ? now.callId : me.callId.replace(/^callback-/, "").replace(/-\d+$/, ""), "hangup")) }, t("cbk.hangup"))) : null;
  const rows = (S.callbacks || []).map(c => h("tr", { "data-callback": c.callId },
    h("td", { class: "number" }, c.callerNumber || t("unknown")), h("td", {}, clock(c.openedAt)),
    h("td", { class: c.state === "open" ? "poor" : null }, tOr("cb." + c.state, c.state)), h("td", { class: "num" }, c.attempts),
    h("td", {}, c.lastResult || ""),
    h("td", {}, h("button", { class: "primary cb-call", id: "btn-callback-" + c.callId, disabled: !canCall || c.state === "reached", title: canCall ? null : (why && why.textContent),
      onclick: () => act(t("cbk.call"), "POST", path(c.callId, "call")) }, t("cbk.call")))));
  return h("div", { class: "panel", id: "callbacks" }, h("h2", {}, t("cbk.title")), why, current,
    rows.length === 0 ? h("p", { class: "muted" }, t("none")) :
      table([t("card.number"), t("wb.at"), t("wb.callback"), { text: t("cbk.attempts"), num: 1 }, t("cbk.result"), ""], rows, "callback-list"));
}

// ---- supervisor wallboard ---------------------------------------------------------------------------
async function loadWallboard() {
  if (!S.me || S.me.role !== "supervisor") return;
  try { S.wallboard = await api("GET", "/api/wallboard"); if (S.view === "wallboard") render(); } catch (e) { /* shown on the next try */ }
}

function percent(share, target) {
  if (share === null || share === undefined) return h("span", { class: "muted" }, "—");
  return h("span", { class: share >= target ? "good" : "poor" }, Math.round(share * 100) + " %");
}

function renderWallboard() {
  const p = S.picture;
  const wb = S.wallboard;
  const groups = h("div", { class: "panel" }, h("h2", {}, t("wb.groups")),
    table([t("wb.group"), { text: t("wb.waiting"), num: 1 }, { text: t("wb.longest"), num: 1 }, { text: t("wb.available"), num: 1 }, t("wb.overflow")],
      (p.groups || []).map(g => h("tr", {}, h("td", {}, g.name), h("td", { class: "num" }, g.waiting),
        oldestWait(p.waiting, g),
        h("td", { class: "num" }, g.available), h("td", {}, g.overflowTo || "—"))), "wb-groups"));
  const waiting = h("div", { class: "panel" }, h("h2", {}, t("wb.calls"), " (", (p.waiting || []).length, ")"),
    table([t("wb.group"), t("card.priority"), { text: t("wb.place"), num: 1 }, { text: t("wb.waited"), num: 1 }, t("card.language"), t("card.entry"), t("wb.offeredTo")],
      (p.waiting || []).map(w => h("tr", {}, h("td", {}, w.group), h("td", { class: w.priority === "critical" || w.priority === "sos" ? "sos" : null }, tOr("priority." + w.priority, w.priority)),
        h("td", { class: "num" }, w.place), h("td", { class: "num" + (since(w.arrivedAt) > 15 ? " poor" : ""), "data-since": w.arrivedAt }, duration(since(w.arrivedAt))),
        h("td", {}, w.language || "—"), h("td", {}, entryName(w.entry)), h("td", {}, (w.offeredTo || []).join(", ")))), "wb-waiting"));
  const takers = h("div", { class: "panel" }, h("h2", {}, t("wb.callTakers")),
    table([t("position"), t("wb.user"), t("wb.state"), { text: t("wb.time"), num: 1 }, t("reason"), t("wb.device")],
      [...(p.callTakers || [])].sort(byPosition).map(c => h("tr", { "data-position": c.position }, h("td", {}, c.position), h("td", {}, c.user || "—"),
        h("td", {}, h("span", { class: "state " + c.state }, t("state." + c.state))), h("td", { class: "num", "data-since": c.since }, duration(since(c.since))),
        h("td", {}, c.pauseReason ? tOr("pause." + c.pauseReason, c.pauseReason) : ""), h("td", { class: c.reachable ? null : "poor" }, c.reachable ? t("reachable") : t("unreachable")))), "wb-calltakers"));
  const levels = h("div", { class: "panel" }, h("h2", {}, t("wb.sl")),
    !wb ? h("p", { class: "muted" }, "…") : table([t("wb.window"), { text: t("wb.answered"), num: 1 }, { text: t("wb.within15"), num: 1 }, { text: t("wb.within20"), num: 1 }],
      wb.serviceLevels.map(l => h("tr", {}, h("td", {}, t("win." + l.window)), h("td", { class: "num" }, l.answered),
        h("td", { class: "num" }, percent(l.share15, wb.targets.within15)), h("td", { class: "num" }, percent(l.share20, wb.targets.within20)))), "wb-levels"),
    wb ? h("p", { class: wb.history === "failed" ? "muted poor" : "muted", id: "wb-shift" }, t("wb.shiftSince", { t: clock(wb.shiftStart) }),
      wb.history === "pending" || wb.history === "failed" ? " · " + t("wb.history." + wb.history) : "") : null);
  const abandoned = h("div", { class: "panel" }, h("h2", {}, t("wb.abandoned")),
    !wb || wb.abandoned.length === 0 ? h("p", { class: "muted" }, t("none")) : table([t("wb.at"), t("call"), t("wb.callback")],
      wb.abandoned.map(a => h("tr", { "data-callback": a.callId }, h("td", {}, clock(a.at)), h("td", {}, a.detail),
        h("td", { class: a.callback === "open" || a.callback === "attempted" ? "poor" : "good" }, tOr("cb." + a.callback, a.callback),
          a.callingFrom ? " · " + t("cbk.from", { p: a.callingFrom }) : "", a.lastResult ? h("div", { class: "muted" }, a.lastResult) : null))), "wb-abandoned"));
  const trunks = h("div", { class: "panel" }, h("h2", {}, t("wb.trunks")),
    !wb || wb.trunkFailures.length === 0 ? h("p", { class: "muted" }, t("none")) : table([t("wb.trunk"), { text: t("wb.failures"), num: 1 }, t("wb.lastReason"), t("wb.at")],
      wb.trunkFailures.map(f => h("tr", {}, h("td", {}, f.trunk), h("td", { class: "num" }, f.failures), h("td", {}, f.lastReason), h("td", {}, clock(f.lastAt)))), "wb-trunks"));
  const chart = h("div", { class: "panel" }, h("h2", {}, t("wb.chart")), wb ? chartSvg(wb.minutes) : null,
    h("div", { class: "legend" }, h("span", { class: "calls" }, t("wb.perMinute")), h("span", { class: "wait" }, t("wb.longestWait"))));
  return h("div", { id: "wallboard-view" },
    h("div", { class: "grid3" }, groups, levels, chart),
    h("div", { class: "grid2" }, h("div", {}, waiting, takers), h("div", {}, abandoned, trunks)));
}

// Logged-in positions first, then calltaker-2 before calltaker-10.
function byPosition(a, b) {
  const out = (a.state === "LoggedOut") - (b.state === "LoggedOut");
  return out || a.position.localeCompare(b.position, "en", { numeric: true });
}

// The group's longest wait is its oldest waiting call's, ticking with the clock.
function oldestWait(waiting, group) {
  const arrivals = (waiting || []).filter(w => w.group === group.name).map(w => w.arrivedAt).sort();
  if (arrivals.length === 0) return h("td", { class: "num" }, "—");
  return h("td", { class: "num" + (since(arrivals[0]) > 15 ? " poor" : ""), "data-since": arrivals[0] }, duration(since(arrivals[0])));
}

// Inline SVG: bars for calls per minute, a line for the longest wait; no chart library.
function chartSvg(minutes) {
  const ns = "http://www.w3.org/2000/svg";
  const s = (tag, attrs, text) => { const el = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v); if (text !== undefined) el.textContent = text; return el; };
  const W = 600, H = 150, L = 28, R = 30, T = 8, B = 18;
  const maxCalls = Math.max(1, ...minutes.map(m => m.calls));
  const maxWait = Math.max(15, ...minutes.map(m => m.longestWait));
  const bw = (W - L - R) / minutes.length;
  const svg = s("svg", { class: "chart", id: "wb-chart", viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "img", "aria-label": t("wb.chart") });
  minutes.forEach((m, i) => {
    const bh = (H - T - B) * m.calls / maxCalls;
    svg.append(s("rect", { x: L + i * bw + 1, y: H - B - bh, width: Math.max(1, bw - 2), height: bh, fill: "#7aa7d6" }));
  });
  const points = minutes.map((m, i) => `${L + i * bw + bw / 2},${H - B - (H - T - B) * m.longestWait / maxWait}`).join(" ");
  svg.append(s("polyline", { points, fill: "none", stroke: "#b3261e", "stroke-width": 2 }));
  const target = H - B - (H - T - B) * 15 / maxWait;
  svg.append(s("line", { x1: L, x2: W - R, y1: target, y2: target, stroke: "#b3261e", "stroke-dasharray": "4 3", "stroke-width": 1 }));
  svg.append(s("text", { x: 2, y: T + 8 }, String(maxCalls)), s("text", { x: W - R + 3, y: T + 8 }, Math.round(maxWait) + " s"),
    s("text", { x: W - R + 3, y: target + 3 }, "15 s"), s("text", { x: L, y: H - 4 }, clock(minutes[0].minute).slice(0, 5)),
    s("text", { x: W - R - 30, y: H - 4 }, clock(minutes[minutes.length - 1].minute).slice(0, 5)));
  return svg;
}

// ---- call history -----------------------------------------------------------------------------------
async function search() {
  const q = new URLSearchParams();
  for (const [k, id] of [["number", "h-number"], ["agency", "h-agency"], ["outcome", "h-outcome"]]) if ($(id).value) q.set(k, $(id).value);
  for (const [k, id] of [["from", "h-from"], ["to", "h-to"]]) if ($(id).value) q.set(k, new Date($(id).value).toISOString());
  try { S.history = await api("GET", "/api/history?" + q); S.story = null; render(); } catch (e) { toast(e.message); }
}

async function openStory(callId) {
  try { S.story = await api("GET", "/api/calls/" + encodeURIComponent(callId) + "/story"); render(); } catch (e) { toast(e.message); }
}

function renderHistory() {
  const outcomes = ["Completed", "NonEmergency", "Prank", "Silent", "AbandonedInQueue", "AbandonedInIvr", "FailedOver", "LostDuringOutage"];
  const form = h("form", { class: "panel", id: "history-form", onsubmit: ev => { ev.preventDefault(); search(); } },
    h("div", { class: "row" },
      h("label", { for: "h-number" }, t("h.number")), h("input", { id: "h-number", size: 14, maxlength: 40 }),
      h("label", { for: "h-from" }, t("h.from")), h("input", { id: "h-from", type: "datetime-local" }),
      h("label", { for: "h-to" }, t("h.to")), h("input", { id: "h-to", type: "datetime-local" }),
      h("label", { for: "h-agency" }, t("h.agency")), h("select", { id: "h-agency" }, h("option", { value: "" }, t("h.any")), (S.settings.agencies || []).map(a => h("option", { value: a }, agencyName(a)))),
      h("label", { for: "h-outcome" }, t("h.outcome")), h("select", { id: "h-outcome" }, h("option", { value: "" }, t("h.any")), outcomes.map(o => h("option", { value: o }, outcomeName(o)))),
      h("button", { class: "primary", type: "submit", id: "h-search" }, t("h.search"))));
  const results = h("div", { class: "panel" }, h("h2", {}, t("h.found", { n: S.history.length })),
    table([t("h.arrived"), t("h.number"), t("h.entry"), t("h.agency"), t("h.outcome")],
      S.history.map(c => h("tr", { class: "click", "data-call": c.callId, onclick: () => openStory(c.callId) },
        h("td", {}, dateTime(c.arrivedAt)), h("td", {}, c.callerNumber), h("td", {}, entryName(c.entry)),
        h("td", {}, (c.agencies || []).map(agencyName).join(", ") || "—"), h("td", {}, outcomeName(c.outcome)))), "history-results"));
  const st = S.story;
  const story = st ? h("div", { class: "panel", id: "story" },
    h("h2", {}, t("h.story"), " · ", st.call.callerNumber, " · ", dateTime(st.call.arrivedAt), " · ", outcomeName(st.outcome)),
    st.events.some(e => e.kind === "recording.stored") && !st.events.some(e => e.kind === "recording.purged")
      ? h("div", { class: "row" }, h("label", {}, t("h.recording")), h("audio", { controls: true, preload: "none", id: "recording", src: "/api/calls/" + encodeURIComponent(st.call.callId) + "/recording" })) : null,
    h("h2", {}, t("h.legs")), table(["#", t("h.agency"), t("wb.trunk"), "endpoint", t("wb.at")],
      st.legs.map(l => h("tr", {}, h("td", {}, l.attempt), h("td", {}, l.agency), h("td", {}, l.trunk), h("td", {}, l.endpoint), h("td", {}, clock(l.plannedAt))))),
    h("h2", {}, t("h.events")), h("ol", { class: "story" }, st.events.map(e => h("li", {}, h("span", { class: "muted" }, clock(e.at)), " ", h("span", { class: "kind" }, e.kind), " ", e.detail)))) : null;
  return h("div", { id: "history-view" }, form, h("div", { class: "grid2" }, results, story || h("div")));
}

// Only the clocks move every second; redrawing the page would close an open list under the operator's hand.
function tick() {
  document.querySelectorAll("[data-since]").forEach(el => { el.textContent = (el.dataset.prefix || "") + duration(since(el.dataset.since)); });
  document.querySelectorAll("[data-until]").forEach(el => { el.textContent = t("wrapUpLeft", { s: Math.max(0, Math.ceil(-since(el.dataset.until))) }); });
}
function wrapUpText(from) { return t("wrapUpLeft", { s: Math.max(0, Math.ceil(S.settings.wrapUp - since(from))) }); }

// ---- start ------------------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  $("lang").addEventListener("change", ev => { S.lang = ev.target.value; localStorage.setItem("console.lang", S.lang); render(); });
  $("signout").addEventListener("click", signOut);
  // Times in state, waits and the wrap-up countdown move every second; the wallboard's figures every 5 s.
  setInterval(tick, 1000);
  setInterval(() => { if (S.view === "wallboard") loadWallboard(); else if (S.view === "calltaker") loadCallbacks(); }, 5000);
  boot();
});
