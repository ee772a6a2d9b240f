"""record_url writes a record's URL from its route's pattern, as reverse() would."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from percontohan.links import record_url

CASES = [
    ("villages:village", "63.04.03.2011"),
    ("regions:province", "63"),
    ("agreements:agreement_detail", 5),
    ("agreements:agreement_detail", "12"),
    ("partners:organisation_detail", 7),
    ("trainings:person_detail", 123456),
    # Keys reverse() quotes or refuses go through reverse() itself.
    ("villages:village", "kode lama/2019"),
    ("villages:village", "ünicode & <tag>"),
]


@pytest.mark.parametrize(("viewname", "key"), CASES)
def test_a_record_url_is_what_reverse_gives(viewname, key):
    try:
        expected = reverse(viewname, args=[key])
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            record_url(viewname, key)
        return
    assert record_url(viewname, key) == expected


def test_a_number_route_refuses_a_key_that_is_not_a_number_as_reverse_does():
    for key in ("x", "1.5", "a-b"):
        with pytest.raises(NoReverseMatch):
            record_url("agreements:agreement_detail", key)


def test_a_record_url_follows_the_script_prefix_the_portal_is_served_under():
    try:
        set_script_prefix("/portal/")
        assert record_url("villages:village", "63.04.03.2011") == "/portal/wilayah/desa/63.04.03.2011/"
        assert record_url("agreements:agreement_detail", 3) == reverse("agreements:agreement_detail", args=[3])
    finally:
        set_script_prefix("/")
    assert record_url("villages:village", "63.04.03.2011") == "/wilayah/desa/63.04.03.2011/"


def test_a_route_url_is_what_reverse_gives_under_any_script_prefix():
    from percontohan.links import route_url

    for viewname in ("home", "villages:village_list", "admin:index", "notifications"):
        assert route_url(viewname) == reverse(viewname)
    try:
        set_script_prefix("/portal/")
        assert route_url("home") == "/portal/"
    finally:
        set_script_prefix("/")
    assert route_url("home") == "/"
