"""URLs the pages write many times: a record's, written from its route's pattern (`record_url`), and a
route's without arguments, reversed once (`route_url`, the menu's links on every page).

reverse() looks its route up and checks its argument anew for every call; a list links every row to its
record's page, and on the village list the rows' reverse() calls were a tenth of the page's time. The
pattern of each route is reversed once per process (for each script prefix and URLconf), and a key
that any converter takes as it is (letters, digits, ".", "-", "_") is put into it; any other key goes
through reverse() itself.
"""

import functools
import re

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# A key that the portal's converters (int, str, slug) all accept and that no route holds elsewhere.
MARK = "7319024586"
# What reverse() writes as it is: unreserved characters, which it never quotes.
PLAIN_KEY = re.compile(r"[0-9A-Za-z._-]+")


@functools.cache
def _pattern(viewname, script_prefix, urlconf):
    """(text before the key, text after it, whether the route takes digits only), or None."""
    try:
        url = reverse(viewname, args=[MARK], urlconf=urlconf)
    except NoReverseMatch:
        return None  # a route that takes no such key: every URL of it from reverse() itself
    before, mark, after = url.partition(MARK)
    if not mark or MARK in after:
        return None
    try:
        reverse(viewname, args=["Az09._-"], urlconf=urlconf)  # every kind of character a plain key has
        digits_only = False
    except NoReverseMatch:
        digits_only = True  # an int (or a slug) route: only digits go in as they are
    return before, after, digits_only


def record_url(viewname, key):
    """reverse(viewname, args=[key]) for a route with one argument, the record's key."""
    return record_urls(viewname)(key)


def record_urls(viewname):
    """`record_url` of one route for many keys (a map's thousands of villages): the route's pattern, script
    prefix and URLconf looked up once."""
    pattern = _pattern(viewname, get_script_prefix(), get_urlconf())

    def url(key):
        text = str(key)
        if pattern is None or not PLAIN_KEY.fullmatch(text) or (pattern[2] and not text.isdigit()):
            return reverse(viewname, args=[key])
        return f"{pattern[0]}{text}{pattern[1]}"

    return url


def route_url(viewname):
    """reverse(viewname) for a route without arguments, reversed once per process (for each script prefix
    and URLconf)."""
    return _route_url(viewname, get_script_prefix(), get_urlconf())


@functools.cache
def _route_url(viewname, script_prefix, urlconf):
    return reverse(viewname, urlconf=urlconf)


@receiver(setting_changed)
def _forget_patterns(*, setting, **_kwargs):
    """A new ROOT_URLCONF (a test's override_settings) makes new patterns, as Django clears its own."""
    if setting == "ROOT_URLCONF":
        _pattern.cache_clear()
        _route_url.cache_clear()
