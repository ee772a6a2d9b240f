"""Vocabulary of the access registry (tests/percontohan/test_access.py).

Each area's tests add their URL names in a module `tests/<app>/access_*.py`
defining `CASES = {url_name: [Case, …]}` and `make_samples()` returning the
sample records their cases name (a dict of name → model instance); the walker
merges them all.
"""

from dataclasses import dataclass, field

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
# A Barito Kuala (63.04) record: the official of Aceh Selatan must not learn it exists.
BARITO_KUALA = {**EVERYONE_IN, "other_pemda_user": 404}
# Changing a Barito Kuala record: editors only; the official of Aceh Selatan gets 403 (role) first.
BARITO_KUALA_EDIT = EDITORS_ONLY
# An Aceh Selatan (11.01) record: outside the BLM's working area and Barito Kuala.
ACEH_SELATAN = {**EVERYONE_IN, "blm_user": 404, "pemda_user": 404}
ACEH_SELATAN_EDIT = {**EDITORS_ONLY, "blm_user": 404}
# A decided round is read-only: its forms send editors back to the round's page.
DECIDED_ROUND = {**EDITORS_ONLY, "admin_user": REDIRECT, "blm_user": REDIRECT}


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
