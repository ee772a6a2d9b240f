"""The access registry's vocabulary and the one walker of it (tests/percontohan/test_access.py).

Each area's tests add their URL names in a module `tests/<app>/access_*.py`
defining `CASES = {url_name: [Case, …]}` and `make_samples()` returning the
sample records their cases name (a dict of name → model instance); the walker
merges them all and checks every case for every user with `check_case`.

Reading and writing are checked alike: a page that changes data (one whose GET
is refused to a role that only reads, with 403) is also POSTed by every user
it refuses — anonymous, wrong role, another region, a record the user may see
but not change — and the POST must be refused the same way and change nothing.
Every POST case answered with a refusal or with the form shown again (200)
must change nothing either.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pghistory.models
from django.apps import apps
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse

from percontohan.history import VersionedModel

USERS = ("admin_user", "blm_user", "pemda_user", "other_pemda_user", "ministry_user")
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Redirect:
    """A 302 expectation: to a named URL (with or without ?next=), or anywhere but the login page."""

    to: str | None = None
    with_next: bool = False


# Sent to the login page, which brings the user back afterwards.
LOGIN = Redirect("login", with_next=True)
LOGGED_OUT = Redirect("login")
REDIRECT = Redirect()

EVERYONE_IN = {user: 200 for user in USERS}
EVERYONE_REDIRECTED = {user: REDIRECT for user in USERS}
NOBODY = {user: 404 for user in USERS}
EDITORS_ONLY = {"admin_user": 200, "blm_user": 200, "pemda_user": 403, "other_pemda_user": 403, "ministry_user": 403}
# Changed by Admin only (a national or provincial organisation, an agreement reaching beyond the BLM's
# working area): the BLM sees it but gets 403, like every role that only reads.
ADMIN_ONLY = {**{user: 403 for user in USERS}, "admin_user": 200}
# A Barito Kuala (63.04) record: the official of Aceh Selatan must not learn it exists.
BARITO_KUALA = {**EVERYONE_IN, "other_pemda_user": 404}
# Changing a Barito Kuala record: editors only; the official of Aceh Selatan gets 403 (role) first.
BARITO_KUALA_EDIT = EDITORS_ONLY
# An Aceh Selatan (11.01) record: outside the BLM's working area and Barito Kuala.
ACEH_SELATAN = {**EVERYONE_IN, "blm_user": 404, "pemda_user": 404}
ACEH_SELATAN_EDIT = {**EDITORS_ONLY, "blm_user": 404}
# A decided round is read-only: its forms send editors back to the round's page.
DECIDED_ROUND = {**EDITORS_ONLY, "admin_user": REDIRECT, "blm_user": REDIRECT}
# Found, but the form (or the lifecycle) refuses the data: editors see the page again; nothing changes.
REFUSED_FORM = EDITORS_ONLY

# Answers after which nothing may have changed.
REFUSALS = (403, 404, 405, LOGIN)


@dataclass
class Case:
    """One request to a URL and the status each user gets (anonymous included).

    kwargs values that name a sample (see make_samples) are replaced by its pk.
    """

    kwargs: dict = field(default_factory=dict)
    expect: dict = field(default_factory=dict)
    method: str = "get"
    data: dict = field(default_factory=dict)
    anonymous: object = LOGIN

    def expected(self, user):
        return self.anonymous if user == ANONYMOUS else self.expect[user]

    @property
    def is_write_page(self):
        """A page that changes data: its form or step is refused (403) to a role that only reads."""
        return self.method == "get" and 403 in self.expect.values()


def in_both_regencies(
    sample, expect_bk, expect_as, *, prefixes=("barito_kuala", "aceh_selatan"), url_kwarg="pk", **case
):
    """The cases of one URL for a Barito Kuala sample and an Aceh Selatan one (`<prefix>_<sample>`)."""
    bk, aceh = (f"{prefix}_{sample}" for prefix in prefixes)
    return [
        Case(kwargs={url_kwarg: bk}, expect=expect_bk, **case),
        Case(kwargs={url_kwarg: aceh}, expect=expect_as, **case),
    ]


# --- The walker's steps --------------------------------------------------------


def client_for(request, user):
    client = Client()
    if user != ANONYMOUS:
        client.force_login(request.getfixturevalue(user))
    return client


def resolve_kwargs(kwargs, samples):
    return {key: samples[value].pk if value in samples else value for key, value in kwargs.items()}


def assert_status(response, expected, label):
    if not isinstance(expected, Redirect):
        assert response.status_code == expected, label
        return
    assert response.status_code == 302, label
    location = urlsplit(response["Location"])
    if expected.to is None:
        assert location.path != reverse("login"), label
    else:
        assert location.path == reverse(expected.to), label
    if expected.with_next:
        assert location.query.startswith("next="), label


def stored_state():
    """What a refused request must leave as it was: the history (every tracked insert, update and
    delete) and the number and versions of every versioned record (which also move when only their
    many-to-many rows change)."""
    versioned = sorted(
        (model for model in apps.get_models() if issubclass(model, VersionedModel)), key=lambda m: m._meta.label
    )
    versions = [
        tuple(model._base_manager.aggregate(rows=Count("pk"), total=Sum("version")).values()) for model in versioned
    ]
    return pghistory.models.Events.objects.count(), versions


def check_case(request, samples, name, case, user):
    """Request the case's URL as `user`, check the answer, and check that what was refused changed nothing."""
    url = reverse(name, kwargs=resolve_kwargs(case.kwargs, samples))
    label = f"{case.method.upper()} {url} as {user}"
    client = client_for(request, user)
    expected = case.expected(user)
    before = stored_state()
    response = getattr(client, case.method)(url, case.data)
    assert_status(response, expected, label)
    if case.method == "post" and (expected in REFUSALS or expected == 200):
        assert stored_state() == before, f"{label} was refused but changed data"
    if case.is_write_page and expected in REFUSALS:
        # Writing is refused as the page is: the same data posted changes nothing.
        response = client.post(url, case.data)
        assert_status(response, expected, f"POST {url} as {user}")
        assert stored_state() == before, f"POST {url} as {user} was refused but changed data"
