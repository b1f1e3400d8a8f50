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

  // "Show my plan": the advisor's plan message (it starts with PLAN_TITLE, see actions/plan.py)
  // can be downloaded as a text file. The file is built here, in the browser, from the message
  // as the bot sent it; no server keeps or serves a copy. The latest plan is kept in
  // sessionStorage, like the widget's own copy of the conversation, so a reload keeps the button.
  var PLAN_TITLE = "Your plan from the breakup advisor";
  var PLAN_KEY = "advisor-plan";
  var planBar = document.getElementById("plan-download");
  var planButton = document.getElementById("plan-download-button");

  function storedPlan() {
    try { return window.sessionStorage.getItem(PLAN_KEY); } catch (e) { return null; }
  }

  function keepPlan(data) {
    if (!data || typeof data.text !== "string" || data.text.indexOf(PLAN_TITLE) !== 0) return;
    try { window.sessionStorage.setItem(PLAN_KEY, data.text); } catch (e) { /* private mode */ }
    planBar.dataset.plan = data.text;
    planBar.hidden = false;
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
    onSocketEvent: { bot_uttered: keepPlan }
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
