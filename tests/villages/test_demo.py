"""The villages of the demo: the two pilot areas of the 2020 MoU and the selection that chose the pilot villages."""

import datetime
import re

from django.utils import timezone

from villages.models import PilotStatus, PilotVillage, ProgrammeArea, SelectionRound


def text_of(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_both_areas_carry_their_legal_basis(demo, client, pemda_user):
    client.force_login(pemda_user)

    for area in ProgrammeArea.objects.all():
        page = text_of(client.get(area.get_absolute_url()))
        assert "Dasar penetapan Nota Kesepahaman Kementerian Desa, PDTT dan Pemerintah Kabupaten Barito Kuala" in page
        assert "10 Maret 2020" in page


def test_the_pilot_villages_were_chosen_in_june_2020_within_the_period_2020_to_2024(demo):
    round_ = SelectionRound.objects.get()
    pilots = PilotVillage.objects.filter(selection_round=round_).prefetch_related("transitions")

    assert timezone.localdate(round_.decided_at) == datetime.date(2020, 6, 15)
    assert pilots.count() == 4
    for pilot in pilots:
        assert (pilot.period_start, pilot.period_end, pilot.status) == (2020, 2024, PilotStatus.DESIGNATED)
        assert {timezone.localdate(t.at) for t in pilot.transitions.all()} == {datetime.date(2020, 6, 15)}
