"""Site selection rounds (/seleksi/): the round, criteria and weights, candidates, scores, ranking and decision."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory, UserFactory
from tests.villages.factories import (
    ANDAMAN,
    ANJIR_PASAR_KOTA,
    CAHAYA_BARU,
    HILIR_MESJID,
    KEUDE_BAKONGAN,
    BlmFactory,
    ProgrammeAreaFactory,
    SelectionScoreFactory,
    aceh_blm,
    regency,
    round_with_criteria,
    village,
)
from villages.models import PilotStatus, PilotVillage, SelectionCandidate, SelectionCriterion, SelectionRound
from villages.models.selection import RoundStatus
from villages.services import selection_score

ROUND_LIST = "/seleksi/"
ROUND_CREATE = "/seleksi/tambah/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def text(response):
    return response.content.decode()


@pytest.fixture
def blm(db):
    return BlmFactory()


@pytest.fixture
def bappeda(db):
    return OrganisationFactory(name="Bappeda Kabupaten Barito Kuala", short_name="Bappeda")


@pytest.fixture
def dpmd(db):
    return OrganisationFactory(name="Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Barito Kuala", short_name="DPMD")


@pytest.fixture
def selection(blm):
    """An open round in Barito Kuala: five weighted criteria (100 %), Andaman and Hilir Mesjid as candidates."""
    return round_with_criteria(title="Seleksi Lokasi Desa Percontohan Barito Kuala 2020", responsible_blm=blm)


def url(round_, action=""):
    return f"/seleksi/{round_.pk}/{action}"


def score_sheet(round_, stakeholder, values):
    """The score form as a browser posts it: values maps village code → one value per criterion (or "")."""
    data = {"stakeholder": stakeholder.pk}
    criteria = list(round_.criteria.all())
    for candidate in round_.candidates.all():
        for criterion, value in zip(criteria, values.get(candidate.village_id, [""] * len(criteria)), strict=True):
            data[f"score_{candidate.pk}_{criterion.pk}"] = value
    return data


# --- List, create, edit ------------------------------------------------------


def test_the_round_list_shows_rounds_in_the_users_regions_and_exports_them(
    client, pemda_user, other_pemda_user, selection
):
    round_with_criteria(title="Seleksi Aceh Selatan", regency=regency("11.01"), responsible_blm=aceh_blm(), villages=())
    client.force_login(pemda_user)

    page = text(client.get(ROUND_LIST))
    rows = list(csv.reader(io.StringIO(client.get(ROUND_LIST, {"_export": "csv"}).getvalue().decode("utf-8-sig"))))

    assert "Seleksi Lokasi Desa Percontohan Barito Kuala 2020" in page
    assert "Seleksi Aceh Selatan" not in page
    assert rows[1] == [
        "Seleksi Lokasi Desa Percontohan Barito Kuala 2020",
        "Kabupaten Barito Kuala",
        "",
        "Balai Latihan Masyarakat Banjarmasin",
        "2020–2024",
        "Penilaian berjalan",
        "2",
        "",  # not decided yet: an empty date cell, as every empty cell of an export
    ]
    assert len(rows) == 2
    client.force_login(other_pemda_user)
    assert "Seleksi Lokasi Desa Percontohan" not in text(client.get(ROUND_LIST))


@pytest.mark.parametrize(
    ("params", "found"), [({"status": "terbuka"}, True), ({"status": "diputuskan"}, False), ({"year": "2026"}, False)]
)
def test_the_round_list_filters(client, blm_user, selection, params, found):
    client.force_login(blm_user)
    assert ("Seleksi Lokasi Desa Percontohan" in text(client.get(ROUND_LIST, params))) is found


def test_the_round_list_runs_the_same_queries_as_rounds_grow(client, blm_user, selection, django_assert_num_queries):
    client.force_login(blm_user)
    with CaptureQueriesContext(connection) as before:
        client.get(ROUND_LIST)
    for index in range(8):
        round_with_criteria(title=f"Putaran {index}", programme_area=ProgrammeAreaFactory(), villages=(CAHAYA_BARU,))

    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(ROUND_LIST).status_code == 200


def round_data(**changes):
    return {
        "title": "Seleksi Lokasi KTM Cahaya Baru",
        "regency": "63.04",
        "programme_area": "",
        "responsible_blm": BlmFactory().pk,
        "period_start": "2020",
        "period_end": "2024",
        "minutes": "Rapat koordinasi di Aula BLM Banjarmasin, 10 Maret 2020.",
        **changes,
    }


def test_an_editor_creates_a_round(client, blm_user):
    area = ProgrammeAreaFactory(name="KTM Cahaya Baru", kind="ktm")
    client.force_login(blm_user)

    response = client.post(ROUND_CREATE, round_data(programme_area=area.pk), follow=True)

    round_ = SelectionRound.objects.get()
    assert response.redirect_chain[-1][0] == f"/seleksi/{round_.pk}/"
    assert (round_.programme_area, round_.status) == (area, RoundStatus.OPEN)
    assert "Rapat koordinasi di Aula BLM Banjarmasin" in text(response)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"programme_area": "aceh"}, "Masukkan pilihan yang valid"),  # outside the scope
        ({"programme_area": "banjar"}, "Kawasan ini tidak berada di kabupaten/kota yang dipilih."),
        ({"period_end": "2019"}, "Tahun selesai tidak boleh sebelum tahun mulai."),
        ({"regency": "11.01"}, "Masukkan pilihan yang valid"),
        ({"responsible_blm": "dinas"}, "Masukkan pilihan yang valid"),  # not a BLM
    ],
)
def test_a_bad_round_is_refused(client, blm_user, changes, message):
    targets = {
        "aceh": lambda: ProgrammeAreaFactory(regency=regency("11.01")).pk,
        "banjar": lambda: ProgrammeAreaFactory(regency=regency("63.03")).pk,
        "dinas": lambda: OrganisationFactory().pk,
    }
    changes = {key: targets[value]() if value in targets else value for key, value in changes.items()}
    client.force_login(blm_user)

    response = client.post(ROUND_CREATE, round_data(**changes))

    assert response.status_code == 200
    assert message in text(response)
    assert not SelectionRound.objects.exists()


def test_editing_a_round_keeps_the_minutes_and_refuses_a_stale_version(client, blm_user, admin_user, selection):
    client.force_login(admin_user)
    data = round_data(title=selection.title, responsible_blm=selection.responsible_blm_id, version=selection.version)
    client.post(url(selection, "ubah/"), {**data, "minutes": "Notulen versi Admin."})

    client.force_login(blm_user)
    response = client.post(url(selection, "ubah/"), {**data, "minutes": "Notulen versi BLM."})

    assert "telah diubah oleh pengguna lain" in text(response)
    selection.refresh_from_db()
    assert selection.minutes == "Notulen versi Admin."


# --- Criteria ----------------------------------------------------------------


def criteria_data(round_, rows, deleted=()):
    """The criteria formset as posted: existing criteria first (in order), then new rows."""
    existing = list(round_.criteria.all())
    data = {
        "kriteria-TOTAL_FORMS": str(len(rows)),
        "kriteria-INITIAL_FORMS": str(len(existing)),
        "kriteria-MIN_NUM_FORMS": "0",
        "kriteria-MAX_NUM_FORMS": "1000",
    }
    for index, (name, weight) in enumerate(rows):
        data[f"kriteria-{index}-name"] = name
        data[f"kriteria-{index}-description"] = ""
        data[f"kriteria-{index}-weight"] = weight
        if index < len(existing):
            data[f"kriteria-{index}-id"] = existing[index].pk
            data[f"kriteria-{index}-round"] = round_.pk
            if existing[index].name in deleted:
                data[f"kriteria-{index}-DELETE"] = "on"
    return data


def test_criteria_whose_weights_do_not_sum_to_100_are_refused_and_nothing_is_saved(client, blm_user, blm):
    round_ = round_with_criteria(criteria=(), responsible_blm=blm)
    client.force_login(blm_user)

    response = client.post(
        url(round_, "kriteria/"), criteria_data(round_, [("Efisiensi", "50"), ("Efektivitas", "40"), ("", "")])
    )

    assert response.status_code == 200
    assert "Jumlah bobot kriteria harus 100%; sekarang 90%." in text(response)
    assert not SelectionCriterion.objects.exists()


def test_criteria_summing_to_100_are_saved(client, blm_user, blm):
    round_ = round_with_criteria(criteria=(), responsible_blm=blm)
    client.force_login(blm_user)

    response = client.post(
        url(round_, "kriteria/"),
        criteria_data(round_, [("Efisiensi", "33.5"), ("Efektivitas", "33.5"), ("Komitmen daerah", "33")]),
        follow=True,
    )

    assert "Kriteria dan bobot disimpan." in messages_of(response)
    assert list(round_.criteria.values_list("name", "weight")) == [
        ("Efisiensi", Decimal("33.50")),
        ("Efektivitas", Decimal("33.50")),
        ("Komitmen daerah", Decimal("33.00")),
    ]
    assert "33,50%" in text(response)


def test_removing_a_criterion_must_leave_weights_at_100(client, blm_user, selection):
    client.force_login(blm_user)
    rows = [(c.name, str(c.weight)) for c in selection.criteria.all()]

    refused = client.post(url(selection, "kriteria/"), criteria_data(selection, rows, deleted=("Aksesibilitas",)))
    rows[0] = ("Efisiensi", "40")  # 25 + 15 moved to Efisiensi
    accepted = client.post(url(selection, "kriteria/"), criteria_data(selection, rows, deleted=("Aksesibilitas",)))

    assert "sekarang 85%" in text(refused)
    assert accepted.status_code == 302
    assert selection.criteria.count() == 4
    assert sum(selection.criteria.values_list("weight", flat=True)) == 100


def test_two_criteria_may_not_share_a_name(client, blm_user, blm):
    round_ = round_with_criteria(criteria=(), responsible_blm=blm)
    client.force_login(blm_user)

    response = client.post(url(round_, "kriteria/"), criteria_data(round_, [("Akses", "50"), ("Akses", "50")]))

    assert response.status_code == 200
    assert not SelectionCriterion.objects.exists()


# --- Candidates --------------------------------------------------------------


def test_an_editor_adds_villages_of_the_rounds_regency_as_candidates(client, blm_user, selection):
    client.force_login(blm_user)
    page = text(client.get(url(selection, "calon/")))

    response = client.post(
        url(selection, "calon/"), {"villages": [ANJIR_PASAR_KOTA, CAHAYA_BARU], "proposal_note": "Usulan Bappeda"}
    )

    # Existing candidates are not offered again; other regencies never.
    options = re.findall(r'<option value="([\d.]+)"', page)
    assert ANJIR_PASAR_KOTA in options and ANDAMAN not in options
    assert all(code.startswith("63.04.") for code in options)
    assert response.status_code == 302
    assert sorted(selection.candidates.values_list("village", flat=True)) == sorted(
        [ANDAMAN, HILIR_MESJID, ANJIR_PASAR_KOTA, CAHAYA_BARU]
    )
    assert selection.candidates.get(village=CAHAYA_BARU).proposal_note == "Usulan Bappeda"


def test_a_village_of_another_regency_cannot_be_a_candidate(client, admin_user, selection):
    client.force_login(admin_user)

    response = client.post(url(selection, "calon/"), {"villages": [KEUDE_BAKONGAN]})

    assert "Masukkan pilihan yang valid" in text(response) or "bukan salah satu" in text(response)
    assert selection.candidates.count() == 2


def test_an_editor_removes_a_candidate_while_the_round_is_open(client, blm_user, selection):
    candidate = selection.candidates.get(village=HILIR_MESJID)
    client.force_login(blm_user)

    response = client.post(url(selection, "calon/"), {"remove": candidate.pk}, follow=True)

    assert "Hilir Mesjid dihapus dari daftar calon." in messages_of(response)
    assert list(selection.candidates.values_list("village", flat=True)) == [ANDAMAN]


def test_a_candidate_is_removed_only_through_its_own_round(client, admin_user, selection):
    other = round_with_criteria(title="Seleksi Aceh", regency=regency("11.01"), villages=(KEUDE_BAKONGAN,))
    client.force_login(admin_user)

    response = client.post(url(selection, "calon/"), {"remove": other.candidates.get().pk})

    assert response.status_code == 404
    assert other.candidates.exists()


# --- Scores ------------------------------------------------------------------


def test_the_score_sheet_defaults_to_the_users_own_organisation(client, blm, selection):
    staff = UserFactory(role="staf_blm", username="staf-blm-bjm", regencies=("63",), organisation=blm)
    client.force_login(staff)

    html = text(client.get(url(selection, "nilai/")))

    assert "Nilai dari Balai Latihan Masyarakat Banjarmasin" in html
    assert html.count('<select name="score_') == 10  # 2 candidates × 5 criteria


def test_without_an_organisation_the_user_first_picks_the_stakeholder(client, blm_user, selection, bappeda):
    client.force_login(blm_user)

    first = text(client.get(url(selection, "nilai/")))
    second = text(client.get(url(selection, "nilai/"), {"stakeholder": bappeda.pk}))

    assert "Pilih pemangku kepentingan" in first and 'name="score_' not in first
    assert "Nilai dari Bappeda Kabupaten Barito Kuala" in second


def test_an_editor_enters_a_stakeholders_scores(client, blm_user, selection, bappeda):
    client.force_login(blm_user)

    response = client.post(
        url(selection, "nilai/"),
        score_sheet(selection, bappeda, {ANDAMAN: [5, 4, 4, 3, 5], HILIR_MESJID: [3, 3, "", "", ""]}),
        follow=True,
    )

    assert "7 nilai dari Bappeda Kabupaten Barito Kuala disimpan." in messages_of(response)
    scores = selection.candidates.get(village=ANDAMAN).scores.select_related("criterion")
    assert {(s.criterion.name, s.value, s.scorer, s.stakeholder) for s in scores} >= {
        ("Efisiensi", 5, blm_user, bappeda),
        ("Aksesibilitas", 5, blm_user, bappeda),
    }
    # The sheet shows what was recorded, and a recorded score cannot be emptied.
    sheet = text(client.get(url(selection, "nilai/"), {"stakeholder": bappeda.pk}))
    assert sheet.count('<option value="5" selected>') == 2
    emptied = client.post(url(selection, "nilai/"), score_sheet(selection, bappeda, {ANDAMAN: ["", 4, 4, 3, 5]}))
    assert emptied.status_code == 200
    assert "Bidang ini tidak boleh kosong." in text(emptied)


@pytest.mark.parametrize("bad", ["6", "0", "x"])
def test_a_score_outside_1_to_5_is_refused_and_nothing_is_saved(client, blm_user, selection, bappeda, bad):
    client.force_login(blm_user)

    response = client.post(url(selection, "nilai/"), score_sheet(selection, bappeda, {ANDAMAN: [5, 4, 4, 3, bad]}))

    assert response.status_code == 200
    # The summary at the top names the one score to correct.
    assert "Belum tersimpan: 1 isian perlu diperbaiki." in text(response)
    assert not selection.candidates.filter(scores__isnull=False).exists()


def test_scores_cannot_be_entered_for_an_organisation_the_user_cannot_see(client, blm_user, selection):
    aceh_office = OrganisationFactory(name="Dinas PMD Aceh Selatan", regency=regency("11.01"))
    client.force_login(blm_user)

    response = client.post(url(selection, "nilai/"), score_sheet(selection, aceh_office, {ANDAMAN: [5] * 5}))

    assert response.status_code == 200
    assert not selection.candidates.filter(scores__isnull=False).exists()


# --- Round page: ranking and decision ----------------------------------------


def test_the_round_page_ranks_candidates_with_each_stakeholders_contribution(
    client, pemda_user, blm_user, selection, blm, bappeda
):
    client.force_login(blm_user)
    client.post(url(selection, "nilai/"), score_sheet(selection, blm, {ANDAMAN: [5] * 5, HILIR_MESJID: [3] * 5}))
    client.post(url(selection, "nilai/"), score_sheet(selection, bappeda, {ANDAMAN: [4] * 5, HILIR_MESJID: [2] * 5}))
    client.force_login(pemda_user)

    html = text(client.get(url(selection)))

    ranking = html[html.index('id="ranking"') :]
    ranking = ranking[: ranking.index("</table>")]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', ranking)
    assert headers == ["Peringkat", "Desa", "Kecamatan", "BLM Banjarmasin", "Bappeda", "Nilai akhir"]
    rows = [re.sub(r"<[^>]+>", " ", row).split() for row in re.findall(r"<tr>(.*?)</tr>", ranking, flags=re.S)[1:]]
    assert rows[0] == ["1", "Andaman", "Anjir", "Pasar", "5,00", "4,00", "4,50"]
    assert rows[1] == ["2", "Hilir", "Mesjid", "Anjir", "Pasar", "3,00", "2,00", "2,50"]
    assert f"/seleksi/{selection.pk}/ubah/" not in html  # an official reads, never edits


def test_the_round_page_warns_when_the_weights_do_not_sum_to_100(client, blm_user, selection):
    selection.criteria.filter(name="Efisiensi").update(weight=Decimal("20"))
    client.force_login(blm_user)

    assert "Jumlah bobot kriteria harus 100%; sekarang 95%." in text(client.get(url(selection)))


def test_the_round_page_runs_the_same_queries_as_candidates_and_scores_grow(
    client, blm_user, selection, blm, bappeda, django_assert_num_queries
):
    user = UserFactory(role="staf_blm", username="penilai")
    SelectionScoreFactory(candidate=selection.candidates.first(), criterion=selection.criteria.first(), stakeholder=blm)
    client.force_login(blm_user)
    with CaptureQueriesContext(connection) as before:
        client.get(url(selection))
    for code in [f"63.04.03.20{n:02d}" for n in range(3, 13)]:
        candidate = SelectionCandidate.objects.create(round=selection, village=village(code))
        for criterion in selection.criteria.all():
            for stakeholder in (blm, bappeda):
                selection_score(candidate=candidate, criterion=criterion, stakeholder=stakeholder, value=3, user=user)

    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url(selection))
    assert text(response).count("3,00") >= 20


def test_a_decision_designates_the_chosen_villages_and_closes_the_round(client, blm_user, selection, blm):
    client.force_login(blm_user)
    client.post(url(selection, "nilai/"), score_sheet(selection, blm, {ANDAMAN: [5] * 5, HILIR_MESJID: [3] * 5}))
    andaman = selection.candidates.get(village=ANDAMAN)

    form = text(client.get(url(selection, "keputusan/")))
    response = client.post(
        url(selection, "keputusan/"),
        {"chosen": [andaman.pk], "rationale": "Nilai tertinggi dan komitmen desa kuat."},
        follow=True,
    )

    assert "1. Andaman, Kec. Anjir Pasar — nilai 5,00" in form
    assert "Keputusan disimpan: 1 desa ditetapkan sebagai desa percontohan." in messages_of(response)
    pilot = PilotVillage.objects.get()
    assert (pilot.village_id, pilot.status, pilot.selection_round_id) == (ANDAMAN, PilotStatus.DESIGNATED, selection.pk)
    assert [t.to_status for t in pilot.transitions.all()] == ["calon", "dinilai", "ditetapkan"]
    html = text(response)
    assert "Nilai tertinggi dan komitmen desa kuat." in html
    assert "Sudah diputuskan" in html
    assert "Terpilih" in html
    assert url(selection, "nilai/") not in html  # no more forms


def test_a_decided_round_is_read_only(client, blm_user, selection, blm):
    client.force_login(blm_user)
    client.post(url(selection, "nilai/"), score_sheet(selection, blm, {ANDAMAN: [5] * 5}))
    client.post(
        url(selection, "keputusan/"),
        {"chosen": [selection.candidates.get(village=ANDAMAN).pk], "rationale": "Terpilih."},
    )
    selection.refresh_from_db()

    for action, data in [
        ("ubah/", round_data(title="Diubah", version=selection.version)),
        ("kriteria/", criteria_data(selection, [("Efisiensi", "100")])),
        ("calon/", {"villages": [CAHAYA_BARU]}),
        ("nilai/", score_sheet(selection, blm, {HILIR_MESJID: [1] * 5})),
        ("keputusan/", {"chosen": [selection.candidates.get(village=HILIR_MESJID).pk], "rationale": "Lagi."}),
    ]:
        assert client.get(url(selection, action)).url == url(selection)
        response = client.post(url(selection, action), data, follow=True)
        assert "Putaran ini sudah diputuskan; datanya tidak dapat diubah lagi." in messages_of(response)

    selection.refresh_from_db()
    assert selection.title == "Seleksi Lokasi Desa Percontohan Barito Kuala 2020"
    assert selection.criteria.count() == 5
    assert selection.candidates.count() == 2
    assert PilotVillage.objects.count() == 1


def test_a_decision_on_unscored_candidates_is_refused_with_the_reason(client, blm_user, selection):
    client.force_login(blm_user)

    response = client.post(
        url(selection, "keputusan/"),
        {"chosen": [c.pk for c in selection.candidates.all()], "rationale": "Semua."},
    )

    assert response.status_code == 200
    assert "Desa berikut belum dinilai lengkap: Andaman, Hilir Mesjid." in text(response)
    selection.refresh_from_db()
    assert selection.is_open
    assert not PilotVillage.objects.exists()


def test_a_round_runs_end_to_end_with_two_stakeholders(client, blm_user, admin_user, blm, dpmd, bappeda):
    """Criteria, candidates, scores from two users for three organisations, then the decision."""
    area = ProgrammeAreaFactory(name="Kawasan Perdesaan Anjir Pasar")
    client.force_login(blm_user)
    client.post(ROUND_CREATE, round_data(title="Seleksi Anjir Pasar", programme_area=area.pk, responsible_blm=blm.pk))
    round_ = SelectionRound.objects.get(title="Seleksi Anjir Pasar")
    client.post(
        url(round_, "kriteria/"),
        criteria_data(round_, [("Efisiensi", "30"), ("Efektivitas", "30"), ("Kesiapan desa", "40")]),
    )
    client.post(url(round_, "calon/"), {"villages": [ANDAMAN, HILIR_MESJID, ANJIR_PASAR_KOTA]})
    round_.refresh_from_db()
    client.post(
        url(round_, "nilai/"),
        score_sheet(round_, blm, {ANDAMAN: [5, 4, 5], HILIR_MESJID: [3, 3, 4], ANJIR_PASAR_KOTA: [4, 4, 4]}),
    )
    client.force_login(admin_user)
    client.post(
        url(round_, "nilai/"),
        score_sheet(round_, dpmd, {ANDAMAN: [4, 4, 4], HILIR_MESJID: [5, 5, 5], ANJIR_PASAR_KOTA: [2, 2, 2]}),
    )
    client.post(
        url(round_, "nilai/"),
        score_sheet(round_, bappeda, {ANDAMAN: [5, 5, 5], HILIR_MESJID: [4, 4, 4], ANJIR_PASAR_KOTA: [3, 3, 3]}),
    )

    chosen = [c.pk for c in round_.candidates.filter(village__in=[ANDAMAN, HILIR_MESJID])]
    client.post(url(round_, "keputusan/"), {"chosen": chosen, "rationale": "Dua peringkat teratas."})

    round_.refresh_from_db()
    assert round_.status == RoundStatus.DECIDED
    assert sorted(PilotVillage.objects.filter(status=PilotStatus.DESIGNATED).values_list("village", flat=True)) == [
        ANDAMAN,
        HILIR_MESJID,
    ]
    assert set(PilotVillage.objects.values_list("programme_area", flat=True)) == {area.pk}
    html = text(client.get(url(round_)))
    # Columns by name: BLM, Bappeda, DPMD. Andaman: 4.7, 5.0, 4.0 → 4.567; Hilir Mesjid: 3.4, 4.0, 5.0 → 4.133;
    # scores show two decimals.
    assert re.search(r"Andaman.*?4,70.*?5,00.*?4,00.*?4,57<", html, flags=re.S)
    assert re.search(r"Hilir Mesjid.*?3,40.*?4,00.*?5,00.*?4,13<", html, flags=re.S)
