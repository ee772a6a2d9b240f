"""A page never links to a region page the reader cannot open: such a region is named, not linked."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from percontohan.templatetags.portal import region_opens_for
from regions.models import District, Province, Regency, Village
from tests.agreements.factories_documents import make_agreement
from tests.villages.factories import ANDAMAN, ProgrammeAreaFactory, regency

# Barito Kuala (63.04) and, next door, Tapin (63.05), both in Kalimantan Selatan (63).
BINUANG = "63.05.01.1001"
REGION_PAGES = [
    (Province, "63"),
    (Province, "62"),
    (Province, "11"),
    (Regency, "63.04"),
    (Regency, "63.05"),
    (District, "63.04.03"),
    (District, "63.05.01"),
    (Village, ANDAMAN),
    (Village, BINUANG),
]


@pytest.mark.parametrize(("model", "code"), REGION_PAGES)
@pytest.mark.parametrize("user", ["pemda_user", "other_pemda_user", "blm_user", "ministry_user"])
def test_a_region_is_linked_exactly_when_its_page_opens_for_the_reader(request, client, user, model, code):
    reader = request.getfixturevalue(user)
    client.force_login(reader)
    opens = client.get(model.objects.get(code=code).get_absolute_url()).status_code == 200
    assert region_opens_for(reader, code) == opens


def test_nobody_signed_out_or_inactive_is_offered_a_region_link(pemda_user):
    assert not region_opens_for(AnonymousUser(), "63.04")
    assert not region_opens_for(None, "63.04")
    pemda_user.is_active = False
    assert not region_opens_for(pemda_user, "63.04")


def test_an_agreement_reaching_another_regency_names_it_without_a_link_for_the_official(client, pemda_user):
    agreement = make_agreement("63.04")
    agreement.regencies.add(regency("63.05"))
    agreement.villages.set(Village.objects.filter(code__in=[ANDAMAN, BINUANG]))
    agreement.areas.set([ProgrammeAreaFactory(name="Kawasan Tapin", regency=regency("63.05"))])
    client.force_login(pemda_user)

    html = client.get(agreement.get_absolute_url()).content.decode()

    assert f'<a href="{reverse("regions:regency", args=["63.04"])}">Kabupaten Barito Kuala</a>' in html
    assert f'<a href="{Village.objects.get(code=ANDAMAN).get_absolute_url()}">Andaman</a>' in html
    # Tapin, its village and its area are named, never linked.
    for name, url in [
        ("Kabupaten Tapin", reverse("regions:regency", args=["63.05"])),
        ("Binuang", Village.objects.get(code=BINUANG).get_absolute_url()),
        ("Kawasan Tapin", agreement.areas.get().get_absolute_url()),
    ]:
        assert name in html
        assert url not in html


def test_the_blm_whose_working_area_holds_both_regencies_gets_both_links(client, blm_user):
    agreement = make_agreement("63.04")
    agreement.regencies.add(regency("63.05"))
    client.force_login(blm_user)

    html = client.get(agreement.get_absolute_url()).content.decode()

    assert reverse("regions:regency", args=["63.04"]) in html
    assert reverse("regions:regency", args=["63.05"]) in html
