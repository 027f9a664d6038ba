"""Small page objects shared by the journeys: a person at a browser, the top bar, the
organisation's menu. Every step goes through the pages; nothing here touches the database.

Screenshots go to ``$JOURNEY_SHOTS`` (default ``<temp>/journeys``), one folder per language."""

import os
import re
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect

from ..factories import PASSWORD

SHOTS = Path(os.environ.get("JOURNEY_SHOTS") or tempfile.gettempdir()) / "journeys"
LOCALES = {"en": "en-US", "zh-hans": "zh-CN"}
TYPING_DELAY = 15  # ms between key presses: a quick typist, not a paste
TABLET = {"width": 800, "height": 1100}
DESK = {"width": 1366, "height": 900}


def say(language, english, chinese):
    """What the person types: Chinese in the Chinese walk."""
    return chinese if language == "zh-hans" else english


class Person:
    """One person at their own browser (own cookies), in their own language."""

    def __init__(self, browser, live_server, language, name, viewport=DESK):
        self.live_server = live_server
        self.language = language
        self.name = name
        self.context = browser.new_context(locale=LOCALES[language], viewport=viewport)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.shots = 0
        self.started = time.monotonic()
        self.errors = []
        self.page.on(
            "response",
            lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
        )

    @property
    def url(self):
        return self.live_server.url

    def goto(self, path):
        self.page.goto(self.url + path)

    def shot(self, step):
        folder = SHOTS / self.language
        folder.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        self.page.screenshot(path=str(folder / f"{self.name}-{self.shots:02d}-{step}.png"))
        with open(folder / "timing.txt", "a") as log:
            log.write(f"{self.name} {step} {time.monotonic() - self.started:.1f}s\n")

    def type(self, locator, text):
        locator.click()
        locator.press_sequentially(text, delay=TYPING_DELAY)

    def sign_in(self, email, password=PASSWORD):
        self.goto("/")
        expect(self.page).to_have_url(re.compile(r"/accounts/login/"))
        self.type(self.page.locator("input[name=username]"), email)
        self.type(self.page.locator("input[name=password]"), password)
        self.page.locator("input[name=password]").press("Enter")
        expect(self.page.locator("form.langswitch")).to_be_visible()
        expect(self.page).not_to_have_url(re.compile(r"/accounts/login/"))
        self.switch_language()

    def switch_language(self):
        """The interface language from the top bar (the person's own choice)."""
        html = self.page.locator("html")
        if html.get_attribute("lang") != self.language:
            self.page.locator("#lang").select_option(self.language)
            expect(html).to_have_attribute("lang", self.language)

    def menu(self, suffix):
        """Follow a link of the organisation's menu, by where it goes (``dashboard/``)."""
        nav = self.page.locator("nav.orgnav")
        toggle = nav.locator("[data-navtoggle]")
        if toggle.is_visible():
            toggle.click()
        nav.locator(f'a[href$="/{suffix}"]').first.click()

    def download(self, trigger, name):
        """Click ``trigger`` and keep the file it downloads; returns its path."""
        with self.page.expect_download() as info:
            trigger.click()
        folder = SHOTS / self.language
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.name}-{name}"
        info.value.save_as(str(path))
        return path

    def no_server_errors(self):
        assert not self.errors, self.errors

    def close(self):
        self.context.close()


def invitation_link(outbox, email):
    """The path of the invitation link in the last email to ``email``."""
    for message in reversed(outbox):
        if email in message.to:
            found = re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body)
            assert found, message.body
            return found.group(1)
    raise AssertionError(f"no email to {email}")


def pdf_text(path):
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
