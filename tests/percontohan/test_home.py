"""The home page: what a user's scope holds, at a glance."""

import re

from tests.villages.factories_village import idm_score, pilot
from villages.models import PilotStatus


def text_of(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_official_sees_the_pilot_villages_and_index_statuses_of_the_district(client, pemda_user):
    pilot("63.04.03.2003", PilotStatus.DESIGNATED)
    pilot("63.04.17.2005", PilotStatus.CANDIDATE)
    idm_score("63.04.03.2003", 2024, "0.7486", "0.85", "1", value="0.8662")  # Mandiri
    idm_score("63.04.17.2005", 2024, "0.8114", "0.65", "1", value="0.8205")  # Mandiri
    idm_score("63.04.03.2001", 2024, "0.7143", "0.6667", "0.8667", value="0.7492")  # Maju
    idm_score("11.01.01.2001", 2024, "0.8", "0.9", "0.5333", value="0.7444")  # Aceh: not in scope
    client.force_login(pemda_user)
    page = text_of(client.get("/"))
    assert "Ditetapkan 1" in page
    assert "Calon 1" in page
    assert "Status IDM 2024" in page
    assert "Maju 1 33%" in page
    assert "Mandiri 2 67%" in page
    assert "3 desa bernilai dalam cakupan Anda." in page


def test_a_user_with_no_programme_data_is_told_so(client, other_pemda_user):
    client.force_login(other_pemda_user)
    page = text_of(client.get("/"))
    assert "Belum ada desa percontohan dalam cakupan Anda." in page
    assert "Belum ada nilai indeks dalam cakupan Anda." in page
