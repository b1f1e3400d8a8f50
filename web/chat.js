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
    params: { storage: "session" }      // a reload keeps the conversation (and its session id)
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
