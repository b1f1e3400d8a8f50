// Mounts the rasa-webchat widget into <main id="chat">. Where the Rasa server is comes from
// /config.js (window.ADVISOR_CHAT); by default it is this page's host on port 5005.
(function () {
  "use strict";
  var config = window.ADVISOR_CHAT || {};
  var socketUrl = config.socketUrl ||
    window.location.protocol + "//" + window.location.hostname + ":" + (config.rasaPort || 5005);
  var container = document.getElementById("chat");
  var loading = document.getElementById("chat-loading");

  if (!window.WebChat || typeof window.WebChat.default !== "function") {
    loading.textContent = "The chat could not load (the widget bundle is missing: run `make web`).";
    return;
  }
  if (loading) loading.remove();

  // "Show my plan": the advisor's plan (it starts with PLAN_TITLE and ends with PLAN_END, see
  // actions/plan.py) can be downloaded as a text file. Rasa's Socket.IO channel sends each
  // paragraph as its own message, so the paragraphs are collected from the first line to the
  // last. The file is built here, in the browser, from the text the bot sent; no server keeps or
  // serves a copy. The latest plan is kept in sessionStorage, like the widget's own copy of the
  // conversation, so a reload keeps the button.
  var PLAN_TITLE = "Your plan from the breakup advisor";
  var PLAN_END = "Say \"show my plan\" any time for an updated copy.";
  var PLAN_KEY = "advisor-plan";
  var planBar = document.getElementById("plan-download");
  var planButton = document.getElementById("plan-download-button");
  var planParts = null;     // the paragraphs of a plan still arriving

  function storedPlan() {
    try { return window.sessionStorage.getItem(PLAN_KEY); } catch (e) { return null; }
  }

  function keepPlan(data) {
    if (!data || typeof data.text !== "string" || !planBar) return;
    if (data.text.indexOf(PLAN_TITLE) === 0) planParts = [];
    if (planParts === null) return;
    planParts.push(data.text);
    if (data.text.indexOf(PLAN_END) === -1) {
      if (planParts.length > 500) planParts = null;   // never an end: not a plan
      return;
    }
    var text = planParts.join("\n\n");
    planParts = null;
    try { window.sessionStorage.setItem(PLAN_KEY, text); } catch (e) { /* private mode */ }
    planBar.dataset.plan = text;
    planBar.hidden = false;
  }

  // After "delete my data" (actions/privacy.py) the server has erased the conversation: the page
  // forgets its copy of the plan too. (The widget's own history stays on screen until the tab
  // is closed: it lives in this tab's sessionStorage only.)
  var ERASED = "Done: I've deleted our whole conversation";
  function onBotMessage(data) {
    if (data && typeof data.text === "string" && data.text.indexOf(ERASED) === 0) {
      try { window.sessionStorage.removeItem(PLAN_KEY); } catch (e) { /* private mode */ }
      planParts = null;
      if (planBar) { delete planBar.dataset.plan; planBar.hidden = true; }
      return;
    }
    keepPlan(data);
  }

  if (planBar && planButton) {
    if (storedPlan()) planBar.hidden = false;
    planButton.addEventListener("click", function () {
      var text = planBar.dataset.plan || storedPlan();
      if (!text) return;
      var url = URL.createObjectURL(new Blob([text + "\n"], { type: "text/plain;charset=utf-8" }));
      var link = document.createElement("a");
      link.href = url;
      link.download = "my-breakup-plan.txt";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    });
  }

  window.WebChat.default({
    socketUrl: socketUrl,
    socketPath: "/socket.io/",
    initPayload: "/greet",              // the greeting; the session start adds the disclaimer
    customData: { language: "en" },
    title: "Breakup advisor",
    inputTextFieldHint: "Type your message\u2026",
    embedded: true,                     // always open, inside this page
    showMessageDate: false,
    hideWhenNotConnected: false,        // keep the history visible if the connection drops
    customMessageDelay: function () { return 300; },
    params: { storage: "session" },     // a reload keeps the conversation (and its session id)
    onSocketEvent: { bot_uttered: onBotMessage }
  }, container);

  // The widget's text box has no label: give it one for screen readers once it is there.
  new MutationObserver(function (_, observer) {
    var box = container.querySelector(".rw-new-message");
    if (box) {
      box.setAttribute("aria-label", "Your message to the advisor");
      observer.disconnect();
    }
  }).observe(container, { childList: true, subtree: true });
})();
