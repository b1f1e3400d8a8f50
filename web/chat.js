// Mounts the rasa-webchat widget into <main id="chat">. Where the Rasa server is comes from
// /config.js (window.ADVISOR_CHAT); by default it is this page's host on port 5005.

// The quick exit ("Leave quickly", or Esc pressed twice within a second): forgets this page's
// stored conversation (the widget's session and the plan, in sessionStorage and localStorage),
// then replaces the page with a weather site. location.replace takes the chat out of the tab's
// history, so Back does not return to it. It works even when the widget could not load.
(function () {
  "use strict";
  var NEUTRAL_SITE = "https://www.bbc.co.uk/weather";
  var leaving = false;

  function forget(storage) {
    try { if (storage) storage.clear(); } catch (e) { /* storage blocked: nothing kept */ }
  }

  function leave() {
    if (leaving) return;
    leaving = true;
    forget(window.sessionStorage);
    forget(window.localStorage);
    // Nothing may write the conversation back while the page unloads.
    try { window.Storage.prototype.setItem = function () {}; } catch (e) { /* old browser */ }
    document.title = "Weather";
    document.body.style.visibility = "hidden";
    window.location.replace(NEUTRAL_SITE);
  }

  var button = document.getElementById("quick-exit");
  if (button) button.addEventListener("click", leave);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var now = Date.now();
    if (now - lastEscape < 1000) leave();
    lastEscape = now;
  }, true);
})();

// The footer's crisis lines follow the bot's rule (actions/country.py): the country of the
// browser's language ("en-GB" -> GB) picks that country's lines first, then the international
// directory; a language without a region, or a country without lines, gets the directory alone.
// The lines are the bot's own list (actions/content/safety_resources.yml), which
// web/serve.py serves as /safety-lines.json; the page keeps no number of its own.
(function () {
  "use strict";
  var list = document.getElementById("crisis-lines");
  if (!list || typeof window.fetch !== "function") return;
  // the same pattern as _REGION in actions/country.py (a test keeps the two equal)
  var REGION = /^[A-Za-z]{2,3}(?:[-_][A-Za-z]{4})?[-_]([A-Za-z]{2})(?:[-_].*)?$/;

  function countryOf(tag) {
    var match = typeof tag === "string" ? REGION.exec(tag.trim()) : null;
    return match ? match[1].toUpperCase() : null;
  }

  function show(data) {
    var country = countryOf(navigator.language);
    if (!country || data.countries.indexOf(country) === -1) country = null;
    var own = data.crisis.filter(function (line) {
      return country !== null && line.countries.indexOf(country) !== -1;
    });
    var anywhere = data.crisis.filter(function (line) { return line.region.toLowerCase() === "anywhere"; });
    var lines = own.concat(anywhere);
    if (!lines.length) return;
    list.textContent = "";
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line.region + ": " + line.service + ", " + line.contact;
      list.appendChild(item);
    });
    list.setAttribute("data-country", country || "");
  }

  window.fetch("safety-lines.json", { cache: "no-cache" })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(show)
    .catch(function () { /* the directory in the page stays */ });
})();

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

  // Pacing: each bubble waits while the widget shows its typing indicator, longer for longer
  // text (0.7 to 2.4 s), so a turn of three bubbles reads like a person writing. `pace` (config
  // or ?pace=0.1 in the address) scales it, between 0 and 1.
  var pace = parseFloat(new URLSearchParams(window.location.search).get("pace"));
  if (isNaN(pace)) pace = typeof config.pace === "number" ? config.pace : 1;
  pace = Math.min(Math.max(pace, 0), 1);
  function messageDelay(text) {
    var length = typeof text === "string" ? text.length : 0;
    return Math.round(Math.min(Math.max(400 + 15 * length, 700), 2400) * pace);
  }

  window.WebChat.default({
    socketUrl: socketUrl,
    socketPath: "/socket.io/",
    initPayload: "/greet",              // the greeting; the session start adds the disclaimer
    // Sent as each message's metadata: the browser's language ("en-GB") tells the safety
    // replies which country's lines to show first, when the user has not said.
    customData: { language: navigator.language || "en" },
    title: "Breakup advisor",
    inputTextFieldHint: "Type your message\u2026",
    embedded: true,                     // always open, inside this page
    showMessageDate: false,
    hideWhenNotConnected: false,        // keep the history visible if the connection drops
    customMessageDelay: messageDelay,   // one bubble at a time, "typing..." in between
    params: { storage: "session" },     // a reload keeps the conversation (and its session id)
    onSocketEvent: { bot_uttered: onBotMessage }
  }, container);

  // The widget's own markup misses a few things assistive technology needs; they are added here
  // whenever the widget renders (it is React: it may render these elements again at any time).
  // - the message list is a polite live region (role "log"): a screen reader reads each new
  //   message once, without interrupting; it is also a tab stop, so the keyboard can scroll it;
  // - the text box and the send button (an icon only) get names;
  // - the bot's buttons are <div>s with a click handler only: they become buttons that Tab reaches
  //   and Enter or Space presses.
  function setAttributes(element, attributes) {
    if (!element) return;
    Object.keys(attributes).forEach(function (name) {
      if (element.getAttribute(name) !== attributes[name]) element.setAttribute(name, attributes[name]);
    });
  }

  function improveAccessibility() {
    setAttributes(container.querySelector(".rw-messages-container"), {
      role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation with the advisor", tabindex: "0"
    });
    setAttributes(container.querySelector(".rw-new-message"), { "aria-label": "Your message to the advisor" });
    var send = container.querySelector(".rw-send");
    setAttributes(send, { "aria-label": "Send" });
    if (send) {
      Array.prototype.forEach.call(send.querySelectorAll("svg, img"), function (icon) {
        setAttributes(icon, { "aria-hidden": "true", focusable: "false" });
      });
    }
    Array.prototype.forEach.call(container.querySelectorAll(".rw-replies div.rw-reply"), function (reply) {
      setAttributes(reply, { role: "button", tabindex: "0" });
    });
  }

  container.addEventListener("keydown", function (event) {
    var reply = event.target;
    if (!reply.matches || !reply.matches(".rw-replies div.rw-reply")) return;
    if (event.key !== "Enter" && event.key !== " " && event.key !== "Spacebar") return;
    event.preventDefault();
    reply.click();
  });

  improveAccessibility();
  new MutationObserver(improveAccessibility).observe(container, { childList: true, subtree: true });
})();

// "What you could say": each script arrives as a quote (Markdown "> ", see actions/rendering.py)
// and gets a Copy button, so it can be pasted into a message to the ex as it is.
(function () {
  "use strict";
  var container = document.getElementById("chat");
  if (!container || !window.MutationObserver) return;

  function scriptText(quote) {
    return (quote.textContent || "").trim().replace(/^\u201c/, "").replace(/\u201d$/, "");
  }

  function addCopyButton(quote) {
    if (quote.dataset.copy) return;
    quote.dataset.copy = "1";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-script";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy this message");
    button.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      var text = scriptText(quote);
      var done = function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { button.textContent = "Select and copy"; });
      } else {
        button.textContent = "Select and copy";
      }
    });
    quote.insertAdjacentElement("afterend", button);
  }

  new MutationObserver(function () {
    var quotes = container.querySelectorAll(".rw-response blockquote");
    for (var i = 0; i < quotes.length; i++) addCopyButton(quotes[i]);
  }).observe(container, { childList: true, subtree: true });
})();
