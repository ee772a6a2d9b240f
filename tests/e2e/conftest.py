"""Browser-test fixtures: Debian's Chromium, a console watch for CSP violations, logging in through the form.

Browser tests run against `live_server`, whose data is committed and emptied
after each test: every test asks for `committed_regions` first and only then
creates its users (their scopes reference regencies).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What Chromium logs when the Content-Security-Policy blocks a script, a style or a request.
CSP_MESSAGE = re.compile(r"Content[ -]Security[ -]Policy|Refused to", re.IGNORECASE)

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (never a downloaded browser), headless unless --headed is given."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


class ConsoleWatch:
    """Collects console messages and uncaught page errors of every page it watches."""

    def __init__(self):
        self.messages = []
        self.page_errors = []

    def watch(self, page):
        page.on("console", lambda message: self.messages.append(f"[{message.type}] {message.text}"))
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return page

    @property
    def csp_violations(self):
        return [message for message in self.messages if CSP_MESSAGE.search(message)]


@pytest.fixture
def console():
    """The console of every page a test opens: a CSP violation or a JavaScript error fails the test."""
    watch = ConsoleWatch()
    yield watch
    assert not watch.csp_violations, f"Content-Security-Policy violations: {watch.csp_violations}"
    assert not watch.page_errors, f"JavaScript errors: {watch.page_errors}"


@pytest.fixture
def page(page, console):
    """pytest-playwright's page, watched by `console`."""
    return console.watch(page)


@pytest.fixture
def new_page(new_context, console):
    """Open a page in a fresh browser context (its own cookies, so its own login)."""

    def make(**context_args):
        return console.watch(new_context(**context_args).new_page())

    return make


def log_in(page, live_server, user, password=PASSWORD):
    """Log in through the login form and wait for the home page."""
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Sandi", exact=False).fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("^Selamat datang"))).to_be_visible()
    return page


def open_menu(page, label):
    """Follow a link of the main navigation, opening the "Lainnya" (more) menu when it lives there.

    As a person does, each step waits for the last to be done: the page's scripts loaded (a click
    before Bootstrap runs opens nothing), the phone's menu unfolded (not still unfolding), the
    "Lainnya" menu open."""
    page.wait_for_load_state()
    navigation = page.get_by_role("navigation", name="Navigasi utama")
    link = navigation.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        toggler = navigation.get_by_role("button", name="Buka menu")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") == "false":
            toggler.click()
            expect(navigation.locator("#nav-main")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    if not link.is_visible():
        more = navigation.get_by_role("button", name="Lainnya")
        more.click()
        expect(more).to_have_attribute("aria-expanded", "true")
    link.click()


def pick(page, label, typed, option):
    """Choose in a searchable picker (static/js/forms.js) as a person does: type, then click the option."""
    # A required field's label ends with crispy's asterisk; "/" is escaped for Playwright's selector.
    escaped = re.escape(label).replace("/", r"\/")
    name = re.compile(rf"^\s*{escaped}\*?\s*$")
    control = page.get_by_role("combobox", name=name)
    control.click()
    control.fill(typed)
    # The picker's own list (the plain select it replaces keeps its options, unlabelled).
    listbox = page.get_by_role("listbox", name=name)
    listbox.get_by_role("option", name=option, exact=True).click()
    expect(listbox).to_be_hidden()
