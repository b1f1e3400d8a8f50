"""The website chat widget in a real browser: Debian's headless Chromium, driven by Playwright, on
the page of web/ served by web/serve.py (started here), talking over the Socket.IO channel
of credentials.yml to the shared stack (`default_stack`: the action server and `rasa run` through
ops/launch.py, which allows the widget from this page's origin).

Needs `make web` (the widget bundle, and axe-core for the accessibility check) and `make chromium` (Debian's chromium); `make test` does
both. Screenshots go to results/web/ (chat.png mid-conversation, chat-phone.png at 375x667); the
README's docs/screenshots/chat.png is a copy of chat.png.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import subprocess
import sys
import time

import pytest
import requests
import yaml

from servers import MODEL, ROOT, stop, wait_until_up

BUNDLE = ROOT / "web" / "vendor" / "rasa-webchat.js"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"  # npm, pinned in web/package-lock.json
SHOTS = ROOT / "results" / "web"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
CHANNEL = "channels.webchat.WebChatInput"
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'
TIMEOUT = 30_000  # ms, for one bot turn


def _require_browser():
    """Fails (never skips) with what to do when the browser or its driver is missing."""
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        pytest.fail("Playwright for Python is missing: `make install` (it is in requirements.txt)")
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Debian's chromium is not installed ({CHROMIUM}): run `make chromium` "
            "(make test does it; it needs root) or `apt-get install chromium`"
        )
    if not BUNDLE.is_file():
        pytest.fail(
            f"the widget bundle {BUNDLE.relative_to(ROOT)} is missing: run `make web` (make test does it)"
        )
    if not AXE.is_file():
        pytest.fail(f"axe-core {AXE.relative_to(ROOT)} is missing: run `make web` (make test does it)")
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does it)")


@pytest.fixture(scope="module")
def stack(tmp_path_factory, request):
    """The page, on the port the shared stack allows the widget from (its Rasa has the widget's
    channel of credentials.yml), talking to that stack."""
    _require_browser()
    default_stack = request.getfixturevalue("default_stack")
    tmp = tmp_path_factory.mktemp("web")
    credentials = yaml.safe_load(default_stack.credentials.read_text())
    assert credentials.get(CHANNEL, {}).get("session_persistence") is True
    web_port, page_origin = default_stack.web_port, default_stack.page_origin
    servers = default_stack.from_here()
    web_log = tmp / "web.log"
    web = None
    try:
        web = subprocess.Popen(
            [
                sys.executable,
                "web/serve.py",
                "--host",
                "127.0.0.1",
                "--port",
                str(web_port),
                "--rasa-port",
                str(servers.rasa_port),
            ],
            cwd=ROOT,
            env=servers.env,
            stdout=web_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_until_up(f"{page_origin}/", web, web_log, seconds=30)
        # The tests read the chat at a tenth of its pace (bubbles 70-240 ms apart, not 0.7-2.4 s);
        # "paced_page" is the page as people get it.
        yield {
            "page": f"{page_origin}/?pace=0.1",
            "paced_page": f"{page_origin}/",
            "origin": page_origin,
            "rasa": servers.url,
            "rasa_port": servers.rasa_port,
            "web_port": web_port,
            "rasa_log": servers.logged,
        }
    finally:
        stop(web)
        default_stack.settle()  # the closed pages' last lines stay in this module's part of the log


@pytest.fixture(scope="module")
def browser(stack):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as error:  # a broken install must say so, not skip
            pytest.fail(f"Chromium ({CHROMIUM}) did not start under Playwright: {error}")
        yield chromium
        chromium.close()


class Widget:
    """The chat on one page, as a person sees it."""

    def __init__(self, page):
        self.page = page
        self.messages = page.locator(".rw-messages-container")
        self.bot = page.locator(".rw-messages-container .rw-response")
        self.user = page.locator(".rw-messages-container .rw-client")
        self.buttons = page.locator(".rw-messages-container .rw-replies .rw-reply")

    def text(self) -> str:
        return self.messages.inner_text()

    def wait_for_text(self, needle: str, timeout: int = TIMEOUT) -> None:
        from playwright.sync_api import expect

        expect(self.messages).to_contain_text(needle, timeout=timeout)

    def bot_count(self) -> int:
        return self.bot.count()

    def wait_for_bot_after(self, count: int, needle: str | None = None, timeout: int = TIMEOUT) -> str:
        """Waits for bot messages after the first `count` ones (containing `needle`, if given) and
        for the bot to stop typing; returns their text."""
        deadline = time.monotonic() + timeout / 1000
        while time.monotonic() < deadline:
            new = self.bot.all_inner_texts()[count:]
            if new and (needle is None or needle in "\n".join(new)):
                before = len(new)
                self.page.wait_for_timeout(1200)  # the rest of the turn (messages come one by one)
                if len(self.bot.all_inner_texts()[count:]) == before:
                    return "\n".join(self.bot.all_inner_texts()[count:])
                continue
            self.page.wait_for_timeout(200)
        raise AssertionError(
            f"no new bot message{' with ' + repr(needle) if needle else ''} in "
            f"{timeout} ms; the chat shows:\n{self.text()[-2000:]}"
        )

    def say(self, text: str) -> None:
        box = self.page.locator(".rw-new-message")
        box.fill(text)
        box.press("Enter")

    def press(self, title: str | None = None) -> str:
        """Clicks a button (by title, or the first one) and returns its title."""
        button = self.buttons.filter(has_text=title).first if title else self.buttons.first
        button.wait_for(state="visible", timeout=TIMEOUT)
        label = button.inner_text().strip()
        button.click()
        return label


def _open(browser, url, **context_args):
    context = browser.new_context(**context_args)
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:"))
            else outside.append(r.url)
        ),
    )
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.socket_io = []  # what became of each Socket.IO request: its status, or why it failed
    page.on("response", lambda r: page.socket_io.append(r.status) if "/socket.io/" in r.url else None)
    page.on("requestfailed", lambda r: page.socket_io.append(r.failure) if "/socket.io/" in r.url else None)
    page.goto(url)
    return context, page, outside, errors


def test_a_conversation_in_the_widget(stack, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page, outside, errors = _open(browser, stack["page"], viewport={"width": 960, "height": 1000})
    chat = Widget(page)
    try:
        # The widget opens with the disclaimer (session start) and the greeting (initPayload /greet).
        chat.wait_for_text("not a therapist")
        chat.wait_for_text("Hi, I'm here")

        seen = chat.bot_count()
        chat.say("my boyfriend broke up with me three weeks ago")
        chat.wait_for_text("my boyfriend broke up with me three weeks ago")
        triage = chat.wait_for_bot_after(seen, "first time")
        assert "How long ago" not in triage  # "three weeks ago" was understood
        assert chat.buttons.count() >= 2, "the triage question comes with buttons"
        assert page.locator(".rw-replies button, .rw-replies .rw-reply").first.is_visible()

        # Buttons, one after another, until the advice: a short first answer with its parts as
        # buttons ("What should I do?", "What could I say?", ...).
        advice = ""
        for _ in range(4):
            seen = chat.bot_count()
            chat.press()
            said = chat.wait_for_bot_after(seen)
            if page.locator(".rw-replies", has_text="What should I do?").count():
                advice = said
                break
        assert advice, chat.text()[-2000:]
        assert chat.bot_count() - seen <= 4, "the first answer fits a phone, not a wall of bubbles"
        # mid-conversation, the user's last answer at the top and the advice under it: the
        # screenshot the README shows
        chat.user.last.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / "chat.png"))
        assert "{" not in advice and "None" not in advice and "**" not in advice
        assert page.locator(".rw-response .rw-markdown strong").count() >= 1  # titles in bold

        # "What should I do?": the steps render as a numbered list, heading and list in one bubble.
        seen = chat.bot_count()
        chat.press("What should I do?")
        steps = chat.wait_for_bot_after(seen, "What to do")
        assert page.locator(".rw-response .rw-markdown ol li").count() >= 2, steps
        # "Something else", then a follow-up topic, and its answer.
        seen = chat.bot_count()
        chat.press("Something else")
        chat.wait_for_bot_after(seen, "Where would you like to go")
        page.locator(".rw-replies").last.scroll_into_view_if_needed()
        seen = chat.bot_count()
        topic = chat.press()
        chat.wait_for_text(topic)  # the choice shows as the user's turn
        follow_up = chat.wait_for_bot_after(seen)
        assert follow_up.strip()
        page.screenshot(path=str(SHOTS / "chat-follow-up.png"))

        # A reload keeps the conversation (session storage + session_persistence) and does not
        # start it again.
        before = chat.text()
        page.reload()
        chat.wait_for_text("my boyfriend broke up with me three weeks ago")
        chat.wait_for_text(topic)
        assert chat.text().count("Hi, I'm here") == 1, "the greeting must not be sent again on reload"
        assert "What to do" in chat.text() and len(chat.text()) >= len(before) * 0.9

        # Markup typed by the user is shown as text and never runs.
        seen, typed = chat.bot_count(), chat.user.count()
        chat.say(XSS)
        page.wait_for_function(
            "n => document.querySelectorAll('.rw-client').length > n", arg=typed, timeout=TIMEOUT
        )
        assert chat.user.last.inner_text().strip() == XSS
        chat.wait_for_bot_after(seen)  # the conversation goes on after reload
        page.wait_for_timeout(500)
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator(".rw-messages-container img[src='x'], .rw-messages-container script").count() == 0
        page.screenshot(path=str(SHOTS / "chat-after-reload.png"))

        assert not outside, f"the page loaded something from outside this machine: {outside}"
        assert not errors, f"errors in the page: {errors}"
    finally:
        context.close()
    # python-engineio 4.7's Sanic route returns nothing once a WebSocket has closed (a reload
    # closes one), and Sanic logs that as "Invalid response type None": harmless, known; any
    # other traceback fails the test.
    log = stack["rasa_log"]()
    known = log.count("sanic.exceptions.ServerError: Invalid response type None (need HTTPResponse)")
    assert log.count("Traceback") == known, log[-3000:]


def test_the_widget_at_phone_size(stack, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page, outside, errors = _open(
        browser,
        stack["page"],
        viewport={"width": 375, "height": 667},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    chat = Widget(page)
    try:
        chat.wait_for_text("Hi, I'm here")
        seen = chat.bot_count()
        chat.say("my girlfriend dumped me last month and I can't stop thinking about her")
        chat.wait_for_bot_after(seen)
        for _ in range(3):  # the triage's buttons, until the first answer
            if not chat.buttons.count() or page.locator(".rw-replies", has_text="What should I do?").count():
                break
            seen = chat.bot_count()
            chat.press()
            chat.wait_for_bot_after(seen)
        page.screenshot(path=str(SHOTS / "chat-phone.png"))  # README's phone screenshot
        sizes = page.evaluate("""() => ({
            scroll: document.documentElement.scrollWidth,
            input: document.querySelector('.rw-new-message').getBoundingClientRect().toJSON(),
            widest: Math.max(...[...document.querySelectorAll('.rw-response, .rw-client, .rw-reply')]
                                .map(e => e.getBoundingClientRect().right)),
        })""")
        assert sizes["scroll"] <= 375, f"the page scrolls sideways at phone size: {sizes}"
        assert sizes["widest"] <= 375, f"a message or button is cut off at phone size: {sizes}"
        assert 0 < sizes["input"]["bottom"] <= 667 and sizes["input"]["width"] > 200, sizes
        assert not outside and not errors, (outside, errors)
    finally:
        context.close()


def test_a_long_draft_pastes_cleanly_into_the_message_workshop(stack, browser):
    """The message workshop in the page: a long needy draft, pasted with its line breaks, is
    checked in one short answer with its problems, then "Check another version" asks again."""
    context, page, outside, errors = _open(browser, stack["page"], viewport={"width": 960, "height": 900})
    chat = Widget(page)
    try:
        chat.wait_for_text("Hi, I'm here")
        seen = chat.bot_count()
        chat.say("can you check a text before I send it?")
        chat.wait_for_bot_after(seen)
        draft = (
            "I can't stop crying. Please come back, I'll change, I promise.\n\n"
            "After everything I did for you, you owe me an answer. Are you seeing someone?"
        )
        box = page.locator(".rw-new-message")
        box.fill(draft)  # pasted, line breaks and all
        seen = chat.bot_count()
        box.press("Enter")
        verdict = chat.wait_for_bot_after(seen, "What to change")
        assert chat.bot_count() - seen <= 4, "a short answer, not a wall"
        assert "pleading" in verdict.lower()  # the begging is named, with its reason
        seen = chat.bot_count()
        chat.press("Check another version")
        assert chat.wait_for_bot_after(seen).strip()
        assert not outside and not errors, (outside, errors)
    finally:
        context.close()


def _polling_handshake(stack, origin):
    return requests.get(
        f"{stack['rasa']}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": origin},
        timeout=10,
    )


def _websocket_handshake(stack, origin) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", stack["rasa_port"], timeout=10)
    try:
        conn.request(
            "GET",
            "/socket.io/?EIO=4&transport=websocket",
            headers={
                "Origin": origin,
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
            },
        )
        return conn.getresponse().status
    finally:
        conn.close()


def test_only_the_configured_origins_may_connect(stack):
    allowed = _polling_handshake(stack, stack["origin"])
    assert allowed.status_code == 200 and allowed.text.startswith("0{")
    assert allowed.headers.get("Access-Control-Allow-Origin") == stack["origin"]  # once, not "a, a"
    assert _websocket_handshake(stack, stack["origin"]) == 101

    for origin in ("https://evil.example", "http://localhost:%d" % stack["web_port"], "null"):
        refused = _polling_handshake(stack, origin)
        assert refused.status_code == 400, (origin, refused.status_code, refused.text)
        assert "Access-Control-Allow-Origin" not in refused.headers
        assert _websocket_handshake(stack, origin) == 400, origin


def test_a_page_on_another_origin_gets_no_chat(stack, browser):
    """The same page opened as http://localhost:PORT is another origin than the allowed
    http://127.0.0.1:PORT: the browser's connection is refused and no message arrives."""
    context, page, _, _ = _open(
        browser, f"http://localhost:{stack['web_port']}/", viewport={"width": 800, "height": 600}
    )
    try:
        page.wait_for_timeout(6000)
        assert Widget(page).bot_count() == 0, Widget(page).text()
        assert page.socket_io, "the widget should have tried to connect"
        assert 200 not in page.socket_io and 101 not in page.socket_io, page.socket_io
        assert 400 in page.socket_io or any(isinstance(x, str) for x in page.socket_io), page.socket_io
    finally:
        context.close()


def test_a_wildcard_origin_is_refused_at_start_up(monkeypatch):
    from channels.webchat import allowed_origins, parse_origins

    with pytest.raises(ValueError, match="wildcard"):
        parse_origins("*")
    with pytest.raises(ValueError, match="not an origin"):
        parse_origins("https://example.org/chat")
    assert parse_origins("https://a.org, http://b.org:8080/ https://a.org") == [
        "https://a.org",
        "http://b.org:8080",
    ]
    monkeypatch.delenv("ADVISOR_ALLOWED_ORIGINS", raising=False)
    assert allowed_origins() == ["http://localhost:8080", "http://127.0.0.1:8080"]
    monkeypatch.setenv("ADVISOR_ALLOWED_ORIGINS", "https://example.org *")
    with pytest.raises(ValueError, match="wildcard"):
        allowed_origins()


def test_the_page_server_serves_only_the_page(stack):
    base = stack["origin"]
    for path in (
        "/package.json",
        "/package-lock.json",
        "/node_modules/rasa-webchat/package.json",
        "/serve.py",
        "/../credentials.yml",
        "/%2e%2e/credentials.yml",
        "/vendor/../../credentials.yml",
    ):
        assert requests.get(base + path, timeout=5).status_code == 404, path
    page = requests.get(base + "/", timeout=5)
    csp = page.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-eval" not in csp
        and "script-src 'self' 'unsafe-inline'" not in csp
    )
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    config = requests.get(base + "/config.js", timeout=5).text
    assert re.search(r'"rasaPort": %d' % stack["rasa_port"], config)


def test_the_plan_downloads_as_a_text_file_built_in_the_browser(stack, browser):
    context, page, outside, errors = _open(
        browser, stack["page"], viewport={"width": 960, "height": 1000}, accept_downloads=True
    )
    chat = Widget(page)
    requests_seen = []
    page.on("request", lambda r: requests_seen.append(r.url))
    try:
        chat.wait_for_text("Hi, I'm here")
        bar = page.locator("#plan-download")
        assert bar.is_hidden(), "no plan yet, so no download button"
        # A reflection exercise, answered in free text, then the plan.
        for message, needle in (
            ("help me write my boundaries", "non-negotiable"),
            ("being equally invested", "boundary"),
            ("no belittling my work", "One more"),
            ("that's all", "Thank you for writing that down"),
        ):
            seen = chat.bot_count()
            chat.say(message)
            chat.wait_for_bot_after(seen, needle)
        seen = chat.bot_count()
        chat.say("show my plan")
        plan = chat.wait_for_bot_after(seen, "Your plan from the breakup advisor")
        assert "being equally invested" in plan
        bar.wait_for(state="visible", timeout=TIMEOUT)
        before = len(requests_seen)
        with page.expect_download(timeout=TIMEOUT) as download_info:
            page.locator("#plan-download-button").click()
        download = download_info.value
        assert download.suggested_filename == "my-breakup-plan.txt"
        assert download.url.startswith("blob:"), download.url  # made in the page
        assert not [u for u in requests_seen[before:] if not u.startswith("blob:")], requests_seen[before:]
        text = open(download.path(), encoding="utf-8").read()
        assert text.startswith("Your plan from the breakup advisor")
        assert "Your boundaries and non-negotiables:" in text and "  - no belittling my work" in text
        assert "Steps suggested so far" in text and "<" not in text and "that's all" not in text
        page.screenshot(path=str(SHOTS / "chat-plan.png"))
        page.reload()  # the button survives a reload
        chat.wait_for_text("show my plan")
        bar.wait_for(state="visible", timeout=TIMEOUT)
        assert not outside and not errors, (outside, errors)
    finally:
        context.close()


# --- pacing and the quick exit ---------------------------------------------------------------------

RECORD_BUBBLES = """
window.__bubbles = [];
window.__typingSeen = 0;
new MutationObserver(() => {
  const count = document.querySelectorAll('.rw-messages-container .rw-response').length;
  const typing = document.querySelector('.rw-typing-indication') !== null;
  if (typing) window.__typingSeen += 1;
  const last = window.__bubbles[window.__bubbles.length - 1];
  if (count > (last ? last.count : 0)) window.__bubbles.push({count, at: performance.now(), typing});
}).observe(document, {childList: true, subtree: true});
"""


def test_bubbles_arrive_one_by_one_with_a_typing_indicator(stack, browser):
    context = browser.new_context(viewport={"width": 960, "height": 1000})
    context.add_init_script(RECORD_BUBBLES)
    page = context.new_page()
    try:
        page.goto(stack["paced_page"])
        chat = Widget(page)
        chat.wait_for_text("Hi, I'm here")  # the opening: the disclaimer, then the greeting
        page.wait_for_timeout(3000)  # the pace: up to 2.4 s a bubble
        bubbles = page.evaluate("window.__bubbles")
        assert len(bubbles) >= 2, bubbles
        assert [b["count"] for b in bubbles] == list(range(1, 1 + len(bubbles))), (
            f"bubbles must appear one at a time: {bubbles}"
        )
        gaps = [later["at"] - earlier["at"] for earlier, later in zip(bubbles, bubbles[1:])]
        assert min(gaps) >= 600, f"bubbles {gaps} ms apart: too fast to read as someone writing"
        assert max(gaps) <= 3000, gaps
        assert page.evaluate("window.__typingSeen") > 0, "the typing indicator never showed"
    finally:
        context.close()


NEUTRAL = "https://www.bbc.co.uk/weather"


def _stored(page) -> dict:
    return page.evaluate("() => ({session: Object.keys(sessionStorage), local: Object.keys(localStorage)})")


def _leave_and_check(stack, browser, leave, **context_args):
    """Opens the chat, has a short conversation, leaves by `leave(page)`, and checks the page was
    replaced by the neutral site, Back does not return, and nothing of the chat is stored."""
    context = browser.new_context(**context_args)
    page = context.new_page()
    neutral_requests = []

    def neutral_site(route):
        neutral_requests.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><p>Sunny</p>")

    context.route("https://www.bbc.co.uk/**", neutral_site)
    try:
        page.goto(stack["page"])
        chat = Widget(page)
        chat.wait_for_text("Hi, I'm here")
        seen = chat.bot_count()
        chat.say("my ex keeps texting me")
        chat.wait_for_bot_after(seen)
        page.evaluate("localStorage.setItem('probe', '1')")
        stored = _stored(page)
        assert "chat_session" in stored["session"], f"the widget keeps its session there: {stored}"
        history_before = page.evaluate("history.length")

        leave(page)
        page.wait_for_url(NEUTRAL, timeout=10_000)
        assert neutral_requests == [NEUTRAL]
        assert page.title() == "Weather"
        assert page.evaluate("history.length") == history_before, "the chat must be replaced, not left behind"
        page.go_back(timeout=5_000)
        page.wait_for_timeout(500)
        assert not page.url.startswith(stack["origin"]), f"Back returned to the chat: {page.url}"

        # Back on the chat's origin, in the same tab: nothing was kept (checked before any script runs).
        page.add_init_script(
            "window.__storedAtStart = {session: Object.keys(sessionStorage), "
            "local: Object.keys(localStorage)};"
        )
        page.goto(stack["page"])
        assert page.evaluate("window.__storedAtStart") == {"session": [], "local": []}
    finally:
        context.close()


def test_leave_quickly_button_on_a_phone(stack, browser):
    def click(page):
        button = page.get_by_role("button", name="Leave quickly")
        box = button.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 120 and box["x"] + box["width"] <= 375, (
            box
        )
        assert button.is_visible()
        page.locator(".rw-messages-container").evaluate("e => e.scrollTop = e.scrollHeight")
        assert button.is_visible() and button.bounding_box()["y"] < 120, "the button stays at the top"
        button.click()

    _leave_and_check(
        stack,
        browser,
        click,
        viewport={"width": 375, "height": 667},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


@pytest.mark.parametrize("how", ["tab then enter", "escape twice"])
def test_leave_quickly_from_the_keyboard(stack, browser, how):
    def tab_then_enter(page):
        # The button is the first thing Tab reaches from the top of the page.
        page.locator(".page-header h1").click()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "quick-exit"
        assert page.evaluate("document.activeElement.getAttribute('aria-keyshortcuts')") == "Escape Escape"
        page.keyboard.press("Enter")

    def escape_twice(page):
        # From anywhere, even while typing a message; one Esc alone does nothing.
        page.locator(".rw-new-message").focus()
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        assert page.url.startswith(stack["origin"]), "one Esc alone must not leave"
        page.keyboard.press("Escape")

    _leave_and_check(
        stack,
        browser,
        tab_then_enter if how == "tab then enter" else escape_twice,
        viewport={"width": 960, "height": 800},
    )


# --- accessibility (WCAG 2.1 A and AA, checked by axe-core) ------------------------------------------

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Records, for every bot message added to the page, whether the element it was added into sat
# inside a polite live region at that moment (a region must be there before the text to be read).
RECORD_LIVE = """
window.__live = [];
new MutationObserver(records => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType !== 1) continue;
    const responses = node.matches('.rw-response') ? [node] : [...node.querySelectorAll('.rw-response')];
    for (const response of responses) {
      const region = record.target.closest('[aria-live]');
      window.__live.push({text: response.innerText.slice(0, 40),
                          live: region ? region.getAttribute('aria-live') : null,
                          role: region ? region.getAttribute('role') : null,
                          region: region ? region.className : null});
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


def _axe(page) -> dict:
    """axe-core's WCAG 2.0/2.1 A and AA rules over the whole page, as it is now."""
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)


def _violations(result) -> list:
    return [
        (v["id"], v["impact"], len(v["nodes"]), [n["target"] for n in v["nodes"]][:5])
        for v in result["violations"]
    ]


def _open_with_axe(browser, url, init_scripts=(), **context_args):
    context = browser.new_context(**context_args)
    context.add_init_script(path=str(AXE))  # an init script: the page's CSP allows no inline script
    for script in init_scripts:
        context.add_init_script(script)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return context, page, errors


def test_no_wcag_violations_mid_conversation(stack, browser):
    context, page, errors = _open_with_axe(
        browser, stack["page"], init_scripts=[RECORD_LIVE], viewport={"width": 960, "height": 800}
    )
    chat = Widget(page)
    try:
        chat.wait_for_text("Hi, I'm here")
        seen = chat.bot_count()
        chat.say("my boyfriend broke up with me three weeks ago")
        chat.wait_for_bot_after(seen, "first time")
        # Buttons until the advice, then a topic's scripts: a quote with a Copy button.
        for _ in range(4):
            seen = chat.bot_count()
            chat.press()
            chat.wait_for_bot_after(seen)
            if chat.buttons.filter(has_text="What should I do?").count():
                break
        seen = chat.bot_count()
        chat.say("how do I reach out to him?")
        chat.wait_for_bot_after(seen)
        seen = chat.bot_count()
        chat.press("What could I say?")
        chat.wait_for_bot_after(seen)
        page.locator(".copy-script").first.wait_for(state="visible", timeout=TIMEOUT)
        assert chat.buttons.count() >= 2, "the check runs with the bot's buttons on screen"
        scroll = chat.messages.evaluate("e => [e.scrollHeight, e.clientHeight]")
        assert scroll[0] > scroll[1], f"the message list should scroll by now: {scroll}"

        result = _axe(page)
        assert result["testEngine"]["version"] == "4.14.1"
        assert not _violations(result), f"WCAG 2.1 A/AA violations: {_violations(result)}"
        # The rules behind the two violations the page had were really applied, and passed.
        passed = {rule["id"] for rule in result["passes"]}
        assert {"button-name", "scrollable-region-focusable", "color-contrast", "label"} <= passed, passed

        # New messages are announced: the list they go into is a polite live region, there
        # before they arrive.
        log = page.locator(".rw-messages-container")
        assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
        live = page.evaluate("window.__live")
        after_greeting = [m for m in live if "Hi, I'm here" not in m["text"]][-8:]
        assert len(after_greeting) >= 3, live
        assert all(
            m["live"] == "polite" and m["role"] == "log" and "rw-messages-container" in m["region"]
            for m in after_greeting
        ), after_greeting
        assert page.locator(".rw-messages-container [aria-live]").count() == 0, "no other region inside"

        # Named controls: the send button, the text box.
        assert page.get_by_role("button", name="Send").count() == 1
        assert page.get_by_role("textbox", name="Your message to the advisor").count() == 1

        # The keyboard: Tab goes from "Leave quickly" to the message list, whose arrow keys scroll it.
        page.locator("#quick-exit").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "rw-messages"
        log.evaluate("e => e.scrollTop = e.scrollHeight")
        bottom = log.evaluate("e => e.scrollTop")
        page.keyboard.press("PageUp")
        page.wait_for_timeout(400)
        assert log.evaluate("e => e.scrollTop") < bottom, "Page Up should scroll the message list"

        # The bot's buttons are buttons: Shift+Tab from the text box reaches the newest, Enter presses it.
        replies = page.locator(".rw-replies div.rw-reply")
        assert replies.count() >= 2
        assert replies.evaluate_all(
            "rs => rs.every(r => r.getAttribute('role') === 'button' && r.tabIndex === 0)"
        )
        page.locator(".rw-new-message").focus()
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate(
            "document.activeElement.matches('.rw-reply') && document.activeElement.innerText"
        )
        assert focused == chat.buttons.last.inner_text(), focused
        seen, typed = chat.bot_count(), chat.user.count()
        page.keyboard.press("Enter")
        chat.wait_for_bot_after(seen)
        assert chat.user.count() == typed + 1 and chat.user.last.inner_text().strip() == focused.strip()
        assert not errors, errors
    finally:
        context.close()


# --- the footer's crisis lines: the bot's list and the bot's rule ----------------------------------

SAFETY_RESOURCES = ROOT / "actions" / "content" / "safety_resources.yml"


def _crisis_lines() -> list:
    return [
        dict(line, countries=line.get("countries", []))
        for line in yaml.safe_load(SAFETY_RESOURCES.read_text(encoding="utf-8"))["crisis"]
    ]


def _footer_expected(country: str | None) -> list:
    """The bot's order (actions/safety.py lines_text): the country's lines, then the directory."""
    lines = _crisis_lines()
    own = [line for line in lines if country and country in line["countries"]]
    anywhere = [line for line in lines if line["region"].lower() == "anywhere"]
    return [f"{line['region']}: {line['service']}, {line['contact']}" for line in own + anywhere]


def test_the_footer_lines_come_from_the_bots_list(stack):
    served = requests.get(stack["origin"] + "/safety-lines.json", timeout=5)
    assert served.status_code == 200 and served.headers["Content-Type"].startswith("application/json")
    resources = yaml.safe_load(SAFETY_RESOURCES.read_text(encoding="utf-8"))
    assert served.json() == {"countries": sorted(resources["countries"]), "crisis": _crisis_lines()}
    printed = subprocess.run(
        [sys.executable, "web/serve.py", "--safety-lines"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert yaml.safe_load(printed) == served.json()  # the file for another web server
    # The page itself keeps no number: only the directory, until the list has loaded.
    page = (ROOT / "web" / "index.html").read_text(encoding="utf-8")
    assert "findahelpline.com" in page
    assert not re.search(r"\d{3}", page.split("<footer")[1]), "a number in the footer of index.html"
    # The page reads the country from the browser's language with the bot's own pattern.
    from actions.country import _REGION

    script = (ROOT / "web" / "chat.js").read_text(encoding="utf-8")
    assert re.search(r"var REGION = /(.+)/;", script).group(1) == _REGION.pattern


@pytest.mark.parametrize(
    "locale, country, first",
    [
        ("en-GB", "GB", "116 123"),  # Samaritans
        ("en-US", "US", "988"),
        ("is-IS", None, "findahelpline.com"),  # a country without lines: the directory alone
        ("en", None, "findahelpline.com"),  # no region: the directory alone
    ],
)
def test_the_footer_shows_the_browsers_country_first(stack, browser, locale, country, first):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 960, "height": 800}, locale=locale)
    page = context.new_page()
    try:
        page.goto(stack["page"])
        assert page.evaluate("navigator.language") == locale
        lines = page.locator("#crisis-lines")
        expect(lines).to_have_attribute("data-country", country or "", timeout=10_000)
        shown = lines.locator("li").all_inner_texts()
        assert shown == _footer_expected(country), shown
        assert first in shown[0], shown
        if country:
            assert len(shown) >= 2 and "findahelpline.com" in shown[-1], shown
        else:
            assert len(shown) == 1, shown
        assert page.locator("footer").is_visible()
    finally:
        context.close()


# --- 200% zoom -----------------------------------------------------------------------------------

ON_TOP = """e => { const r = e.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
                   const hit = document.elementFromPoint(x, y); return hit === e || e.contains(hit); }"""


@pytest.mark.parametrize("window", [(1280, 960), (1366, 768)], ids=lambda w: f"{w[0]}x{w[1]}")
def test_the_page_at_200_percent_zoom(stack, browser, window):
    """A browser window at 200% zoom lays the page out in half as many CSS pixels each way, with
    two device pixels to each CSS pixel: that is the viewport here."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width, height = window[0] // 2, window[1] // 2
    context, page, errors = _open_with_axe(
        browser,
        stack["page"],
        viewport={"width": width, "height": height},
        device_scale_factor=2,
        locale="en-GB",
    )
    chat = Widget(page)
    try:
        chat.wait_for_text("Hi, I'm here")
        # Typed and sent with the send button.
        seen = chat.bot_count()
        page.locator(".rw-new-message").fill("my girlfriend broke up with me two weeks ago")
        send = page.get_by_role("button", name="Send")
        send.click()
        chat.wait_for_text("my girlfriend broke up with me two weeks ago")
        chat.wait_for_bot_after(seen)
        assert chat.buttons.count() >= 2, chat.text()[-1000:]
        seen = chat.bot_count()
        chat.press()  # a button of the bot's, by tap
        chat.wait_for_bot_after(seen)
        page.locator(".rw-new-message").fill("thank you")  # so the send button is enabled
        page.screenshot(path=str(SHOTS / f"chat-zoom-200-{window[0]}x{window[1]}.png"))

        layout = page.evaluate("""() => ({
            scroll: [document.documentElement.scrollWidth, document.body.scrollWidth],
            widest: Math.max(...[...document.querySelectorAll('.rw-response, .rw-client, .rw-reply, footer li')]
                                .map(e => e.getBoundingClientRect().right)),
            log: document.querySelector('.rw-messages-container').getBoundingClientRect().height,
        })""")
        assert max(layout["scroll"]) <= width, f"the page scrolls sideways at 200%: {layout}"
        assert layout["widest"] <= width, f"a message, button or footer line is cut off: {layout}"
        assert layout["log"] >= 150, f"too little room left for the conversation: {layout}"
        for name, control in (
            ("the text box", page.locator(".rw-new-message")),
            ("the send button", send),
            ("Leave quickly", page.get_by_role("button", name="Leave quickly")),
        ):
            box = control.bounding_box()
            assert box and control.is_visible(), name
            assert (
                box["x"] >= 0
                and box["y"] >= 0
                and box["x"] + box["width"] <= width
                and box["y"] + box["height"] <= height
            ), f"{name} is not all on screen: {box}"
            assert control.evaluate(ON_TOP), f"{name} is covered by something else"
        assert page.locator(".rw-new-message").bounding_box()["width"] >= 200
        assert send.is_enabled()
        seen = chat.bot_count()
        send.click()
        chat.wait_for_bot_after(seen)
        # The quick exit is still the first thing Tab reaches.
        page.locator(".page-header h1").click()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "quick-exit"

        assert not _violations(_axe(page)), _violations(_axe(page))
        assert not errors, errors
    finally:
        context.close()
