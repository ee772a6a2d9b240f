"""The organisations of the demo: who led them in 2020, and what BLM Banjarmasin does."""

import re

from partners.models import Organisation


def text_of(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_blm_banjarmasins_page_names_its_head_and_says_it_has_trained_villagers_since_2015(demo, client, blm_user):
    blm = Organisation.objects.get(short_name="BLM Banjarmasin")
    client.force_login(blm_user)

    page = text_of(client.get(blm.get_absolute_url()))

    assert "Pimpinan Pepen Efendi, Kepala Balai" in page
    assert "sejak 2015 melatih warga desa" in page


def test_the_bupati_of_barito_kuala_is_hj_noormiliyani_as(demo):
    pemkab = Organisation.objects.get(short_name="Pemkab Barito Kuala")

    assert (pemkab.head_name, pemkab.head_position) == ("Hj. Noormiliyani AS", "Bupati")
