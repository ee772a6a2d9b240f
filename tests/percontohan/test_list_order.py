"""Every list sorts last by the record's key (percontohan.tables.key_last): rows that tie on what the list
is sorted by come in one order, so each shows on exactly one page and exports list them the same way."""

import re

from django.db.models import F

from agreements.models import Commitment
from percontohan.tables import key_last
from regions.models import Village
from tests.agreements.factories import CommitmentFactory, SignedAgreementFactory

COMMITMENTS = "/perjanjian/komitmen/"


def order_of(queryset):
    return str(queryset.query).rpartition("ORDER BY")[2]


def test_a_sort_that_can_tie_ends_with_the_key(db):
    assert order_of(key_last(Commitment.objects.order_by("due_date"))).endswith('"agreements_commitment"."id" ASC')
    assert (
        order_of(key_last(Commitment.objects.order_by("-status", "due_date"))).count('"agreements_commitment"."id"')
        == 1
    )


def test_a_sort_that_already_ends_with_the_key_is_kept(db):
    for queryset in (
        Village.objects.order_by("code"),
        Village.objects.order_by(F("code").desc()),
        Commitment.objects.all(),  # Meta.ordering: due date, then the key
        Commitment.objects.order_by("-pk"),
    ):
        assert order_of(key_last(queryset)) == order_of(queryset)


def test_commitments_due_the_same_day_each_show_on_exactly_one_page(client, admin_user):
    agreement = SignedAgreementFactory()
    made = [
        CommitmentFactory(agreement=agreement, description=f"Komitmen bertenggat sama {n:02d}", due_date="2025-06-30")
        for n in range(30)
    ]
    client.force_login(admin_user)

    shown = []
    for page in (1, 2):
        html = client.get(COMMITMENTS, {"page": page, "sort": "due_date"}).content.decode()
        shown += re.findall(r"Komitmen bertenggat sama \d\d", html)

    assert sorted(shown) == sorted(c.description for c in made)
    assert shown == [c.description for c in sorted(made, key=lambda c: c.pk)]
