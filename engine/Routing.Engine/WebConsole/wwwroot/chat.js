// The text chat of the call-taker view: text sessions from the police app (SIP MESSAGE) offered to this
// position, accepted here (never rung on the phone), answered, classified, handed to an agency and closed
// through /api/texts (docs/operator-api.md, "Text sessions"). Every value is put in the page as text.
"use strict";

// dismissed: sessions this call-taker closed here. The position keeps the session's id until its wrap-up
// ends and a late text.session (Closed) event still names it: neither may bring the closed panel back.
const CHAT = { offer: null, session: null, dismissed: new Set() };

function isText(id) { return typeof id === "string" && id.startsWith("txt-"); }

async function loadChat(id) {
  try {
    const session = await api("GET", "/api/texts/" + encodeURIComponent(id));
    if (!CHAT.dismissed.has(id)) { CHAT.session = session; render(); }
  } catch (e) { /* the next event brings it */ }
}

// Called from connect(): the text events of the event stream.
function connectChat(on) {
  on("text.offer", o => {
    if (!mine() || o.position !== mine().position) return;
    CHAT.offer = o;
    loadChat(o.sessionId);
  });
  on("text.offer.withdrawn", o => { if (CHAT.offer && CHAT.offer.sessionId === o.sessionId) { CHAT.offer = null; if (CHAT.session && CHAT.session.state === "Waiting") CHAT.session = null; } });
  on("text.session", s => {
    if (CHAT.offer && CHAT.offer.sessionId === s.sessionId && s.state !== "Waiting") CHAT.offer = null;
    if (CHAT.session && CHAT.session.sessionId === s.sessionId) CHAT.session = { ...s, messages: CHAT.session.messages };
    else if (mine() && s.callTaker === mine().position && s.state !== "Closed" && !CHAT.dismissed.has(s.sessionId)) loadChat(s.sessionId);
  });
  on("text.message", m => {
    if (!CHAT.session || CHAT.session.sessionId !== m.sessionId) return;
    if (!CHAT.session.messages.some(x => x.seq === m.message.seq)) CHAT.session.messages = [...CHAT.session.messages, m.message];
  });
  on("text.send.failed", f => { if (CHAT.session && CHAT.session.sessionId === f.sessionId) toast(t("chat.sendFailed") + ": " + f.error); });
}

// After a reload: the position may hold (or be offered) a text session this page has not seen.
function refreshChat() {
  const me = mine();
  if (me && isText(me.callId) && !CHAT.dismissed.has(me.callId) && (!CHAT.session || CHAT.session.sessionId !== me.callId)) {
    if (me.state === "Offered") CHAT.offer = { sessionId: me.callId };
    loadChat(me.callId);
  }
}

function chatWho(m) {
  if (m.direction === "in") return t("chat.caller");
  if (m.direction === "agency") return t("chat.toAgency");
  return m.author.startsWith("agency:") ? agencyName(m.author.slice(7)) : t("chat.us");
}

function renderChat() {
  refreshChat();
  const s = CHAT.session;
  const offered = !!CHAT.offer && (!s || s.state === "Waiting");
  if (!s && !offered) return null;
  const id = s ? s.sessionId : CHAT.offer.sessionId;
  const path = a => "/api/texts/" + encodeURIComponent(id) + "/" + a;
  const mineNow = s && mine() && s.callTaker === mine().position;
  const writing = mineNow && s.state === "WithCallTaker";
  const agencies = S.settings.agencies || [];
  const kinds = ["emergency", "nonEmergency", "prank", "silent"];
  return h("div", { class: "panel", id: "chat", "data-session": id },
    h("h2", {}, t("chat.title"), s ? " · " + (s.number || s.gateway) : "", s ? h("span", { class: "state", id: "chat-state" }, " · " + tOr("chat.state." + s.state, s.state)) : null),
    offered ? h("div", { class: "offer", id: "chat-offer" }, t("chat.offer"), " ",
      h("button", { id: "btn-chat-accept", class: "primary big", onclick: () => act(t("accept"), "POST", path("accept"), {}) }, t("accept"))) : null,
    h("ol", { id: "chat-log", class: "chat" }, (s ? s.messages : []).map(m =>
      h("li", { class: "msg " + m.direction, "data-seq": m.seq }, h("span", { class: "who" }, chatWho(m)), " ", h("span", { class: "text" }, m.text), " ", h("time", { class: "muted" }, dateTime(m.at))))),
    h("div", { class: "row" },
      h("textarea", { id: "chat-input", maxlength: 500, placeholder: t("chat.placeholder"), "aria-label": t("chat.placeholder"), disabled: !writing }),
      h("button", { id: "btn-chat-send", class: "primary", disabled: !writing, onclick: async () => {
        const text = $("chat-input").value;
        if (text.trim() && await act(t("chat.send"), "POST", path("reply"), { text })) { $("chat-input").value = ""; }
      } }, t("chat.send"))),
    h("div", { class: "row" },
      h("select", { id: "chat-kind", "aria-label": t("classify"), disabled: !writing }, kinds.map(k => h("option", { value: k }, t("kind." + k)))),
      h("select", { id: "chat-agency", "aria-label": t("agency"), disabled: !writing }, agencies.map(a => h("option", { value: a }, agencyName(a)))),
      h("button", { id: "btn-chat-classify", disabled: !writing, onclick: () => {
        const kind = $("chat-kind").value;
        act(t("classify"), "POST", path("classify"), { kind, agency: kind === "emergency" ? $("chat-agency").value : null });
      } }, t("classify")),
      h("button", { id: "btn-chat-transfer", disabled: !writing, onclick: () => act(t("transfer"), "POST", path("transfer"), { agency: $("chat-agency").value }) }, t("transfer")),
      h("button", { id: "btn-chat-close", class: "danger", disabled: !(mineNow && s.state !== "Closed"), onclick: async () => {
        if (await act(t("chat.close"), "POST", path("close"), {})) { CHAT.dismissed.add(id); CHAT.session = null; CHAT.offer = null; render(); }
      } }, t("chat.close"))));
}
