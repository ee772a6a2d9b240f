"""The services of programme areas, pilot villages and site selection: lifecycle, weights, ranking, decision."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import OrganisationFactory, UserFactory
from tests.villages.factories import (
    ANDAMAN,
    ANJIR_PASAR_KOTA,
    CAHAYA_BARU,
    HILIR_MESJID,
    BlmFactory,
    PilotVillageFactory,
    ProgrammeAreaFactory,
    SelectionCriterionFactory,
    SelectionRoundFactory,
    round_with_criteria,
    village,
)
from villages.models import AreaMembership, PilotStatus, PilotTransition, PilotVillage, SelectionScore
from villages.models.selection import RoundStatus
from villages.services import (
    area_add_village,
    pilot_propose,
    pilot_transition,
    selection_check_weights,
    selection_decide,
    selection_ranking,
    selection_score,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return UserFactory(role="staf_blm", username="staf-blm-layanan", regencies=("63",))


# --- Pilot village lifecycle -------------------------------------------------


def test_proposing_a_village_records_a_candidate_with_its_first_step(editor):
    area = ProgrammeAreaFactory()

    pilot = pilot_propose(
        village=village(ANDAMAN),
        responsible_blm=BlmFactory(),
        programme_area=area,
        period_start=2020,
        period_end=2024,
        user=editor,
        reason="Usulan Dinas PMD Barito Kuala.",
    )

    assert pilot.status == PilotStatus.CANDIDATE
    step = pilot.transitions.get()
    assert (step.from_status, step.to_status, step.by, step.reason) == (
        "",
        PilotStatus.CANDIDATE,
        editor,
        "Usulan Dinas PMD Barito Kuala.",
    )


def test_a_village_cannot_be_proposed_twice_for_the_same_period(editor):
    PilotVillageFactory(village=village(ANDAMAN), period_start=2020)

    with pytest.raises(ValidationError, match="sudah tercatat sebagai desa percontohan"):
        pilot_propose(
            village=village(ANDAMAN),
            responsible_blm=BlmFactory(),
            period_start=2020,
            period_end=2024,
            user=editor,
            reason="Lagi.",
        )

    assert PilotVillage.objects.count() == 1


def test_a_pilot_village_goes_through_its_lifecycle_recording_who_when_and_why(editor):
    pilot = PilotVillageFactory()
    moments = [datetime.datetime(2020, 3, day, 10, tzinfo=datetime.UTC) for day in (2, 10, 20)]

    for status, at in zip([PilotStatus.ASSESSED, PilotStatus.DESIGNATED, PilotStatus.GRADUATED], moments, strict=True):
        pilot_transition(pilot=pilot, to_status=status, user=editor, reason=f"Menjadi {status.label}.", at=at)

    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.GRADUATED
    steps = list(pilot.transitions.values_list("from_status", "to_status", "at", "by"))
    assert steps == [
        (PilotStatus.CANDIDATE, PilotStatus.ASSESSED, moments[0], editor.pk),
        (PilotStatus.ASSESSED, PilotStatus.DESIGNATED, moments[1], editor.pk),
        (PilotStatus.DESIGNATED, PilotStatus.GRADUATED, moments[2], editor.pk),
    ]


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (PilotStatus.CANDIDATE, PilotStatus.DESIGNATED, "Sudah dinilai, Dibatalkan"),
        (PilotStatus.CANDIDATE, PilotStatus.GRADUATED, "Sudah dinilai, Dibatalkan"),
        (PilotStatus.ASSESSED, PilotStatus.CANDIDATE, "Ditetapkan, Dibatalkan"),
        (PilotStatus.GRADUATED, PilotStatus.DESIGNATED, "tidak ada"),
        (PilotStatus.DROPPED, PilotStatus.CANDIDATE, "tidak ada"),
    ],
)
def test_a_step_the_lifecycle_does_not_allow_is_refused_and_changes_nothing(editor, current, target, allowed):
    pilot = PilotVillageFactory(status=current)
    version = pilot.version

    with pytest.raises(ValidationError) as refused:
        pilot_transition(pilot=pilot, to_status=target, user=editor, reason="Coba.")

    message = refused.value.messages[0]
    assert f"tidak dapat diubah menjadi “{target.label}”" in message
    assert f"Langkah yang diizinkan: {allowed}." in message
    pilot.refresh_from_db()
    assert (pilot.status, pilot.version) == (current, version)
    assert not PilotTransition.objects.exists()


def test_a_transition_needs_a_reason(editor):
    pilot = PilotVillageFactory()

    with pytest.raises(ValidationError) as refused:
        pilot_transition(pilot=pilot, to_status=PilotStatus.ASSESSED, user=editor, reason="  ")

    assert refused.value.message_dict == {"reason": ["Tuliskan alasan perubahan status."]}
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.CANDIDATE


# --- Area membership ---------------------------------------------------------


def test_a_village_may_belong_to_an_area_again_after_its_membership_ended_and_to_several_areas():
    rural, ktm = ProgrammeAreaFactory(), ProgrammeAreaFactory(name="KTM Cahaya Baru", kind="ktm")

    area_add_village(
        area=rural, village=village(ANDAMAN), valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2021, 12, 31)
    )
    area_add_village(area=rural, village=village(ANDAMAN), valid_from=datetime.date(2022, 1, 1))
    area_add_village(area=ktm, village=village(ANDAMAN), valid_from=datetime.date(2020, 1, 1))

    assert AreaMembership.objects.filter(village=ANDAMAN).count() == 3


def test_an_overlapping_membership_is_refused():
    area = ProgrammeAreaFactory()
    area_add_village(area=area, village=village(CAHAYA_BARU), valid_from=datetime.date(2020, 3, 10))

    with pytest.raises(ValidationError, match="periode yang tumpang tindih"):
        area_add_village(area=area, village=village(CAHAYA_BARU), valid_from=datetime.date(2023, 1, 1))

    assert AreaMembership.objects.count() == 1


# --- Selection: weights ------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ((Decimal("50"), Decimal("40")), "Jumlah bobot kriteria harus 100%; sekarang 90%."),
        ((Decimal("60"), Decimal("40.5")), "Jumlah bobot kriteria harus 100%; sekarang 100.5%."),
        ((), "Tambahkan kriteria penilaian terlebih dahulu."),
    ],
)
def test_weights_that_do_not_sum_to_100_percent_are_refused(weights, message):
    round_ = SelectionRoundFactory()
    for index, weight in enumerate(weights):
        SelectionCriterionFactory(round=round_, name=f"Kriteria {index}", weight=weight)

    with pytest.raises(ValidationError) as refused:
        selection_check_weights(round_)

    assert refused.value.messages == [message]


def test_weights_summing_to_100_percent_pass():
    round_ = round_with_criteria()

    assert [c.name for c in selection_check_weights(round_)][:2] == ["Efisiensi", "Efektivitas"]


# --- Selection: scores and ranking -------------------------------------------


@pytest.fixture
def two_criteria_round():
    """Kesiapan 60 %, Aksesibilitas 40 %; Andaman, Hilir Mesjid and Anjir Pasar Kota are candidates."""
    return round_with_criteria(
        criteria=(("Kesiapan desa", Decimal("60")), ("Aksesibilitas", Decimal("40"))),
        villages=(ANDAMAN, HILIR_MESJID, ANJIR_PASAR_KOTA),
    )


def score_all(round_, stakeholder, user, table):
    """table: village code → values per criterion (in criterion order); None leaves a cell unscored."""
    criteria = list(round_.criteria.all())
    candidates = {c.village_id: c for c in round_.candidates.all()}
    for code, values in table.items():
        for criterion, value in zip(criteria, values, strict=True):
            if value is not None:
                selection_score(
                    candidate=candidates[code], criterion=criterion, stakeholder=stakeholder, value=value, user=user
                )


def test_the_ranking_weighs_each_stakeholders_scores_and_averages_the_complete_ones(editor, two_criteria_round):
    blm, bappeda = BlmFactory(), OrganisationFactory(name="Bappeda Kabupaten Barito Kuala", short_name="Bappeda")
    score_all(two_criteria_round, blm, editor, {ANDAMAN: (5, 3), HILIR_MESJID: (2, 5), ANJIR_PASAR_KOTA: (4, None)})
    score_all(two_criteria_round, bappeda, editor, {ANDAMAN: (4, 4), HILIR_MESJID: (3, 2)})

    ranked, stakeholders = selection_ranking(two_criteria_round)

    assert stakeholders == [blm, bappeda]  # by name: "Balai …" before "Bappeda …"
    andaman, hilir_mesjid, anjir = ranked
    # Andaman: BLM 0.6×5 + 0.4×3 = 4.2; Bappeda 0.6×4 + 0.4×4 = 4.0; mean 4.1.
    assert andaman.candidate.village_id == ANDAMAN
    assert andaman.by_stakeholder == {blm: Decimal("4.200"), bappeda: Decimal("4.000")}
    assert (andaman.total, andaman.rank, andaman.complete) == (Decimal("4.100"), 1, True)
    # Hilir Mesjid: BLM 1.2 + 2.0 = 3.2; Bappeda 1.8 + 0.8 = 2.6; mean 2.9.
    assert hilir_mesjid.by_stakeholder == {blm: Decimal("3.200"), bappeda: Decimal("2.600")}
    assert (hilir_mesjid.total, hilir_mesjid.rank) == (Decimal("2.900"), 2)
    # Anjir Pasar Kota: one criterion scored by one stakeholder: a partial contribution, no total, no rank.
    assert anjir.by_stakeholder == {blm: Decimal("2.400")}
    assert (anjir.total, anjir.rank, anjir.complete) == (None, None, False)


def test_a_stakeholder_who_scored_only_part_does_not_count_in_the_total(editor, two_criteria_round):
    blm, bappeda = BlmFactory(), OrganisationFactory(name="Bappeda Kabupaten Barito Kuala")
    score_all(two_criteria_round, blm, editor, {ANDAMAN: (5, 5)})
    score_all(two_criteria_round, bappeda, editor, {ANDAMAN: (1, None)})

    andaman = selection_ranking(two_criteria_round)[0][0]

    assert (andaman.total, andaman.complete) == (Decimal("5.000"), False)


def test_correcting_a_score_replaces_it(editor, two_criteria_round):
    blm = BlmFactory()
    score_all(two_criteria_round, blm, editor, {ANDAMAN: (2, 2)})
    score_all(two_criteria_round, blm, editor, {ANDAMAN: (4, None)})

    assert sorted(SelectionScore.objects.values_list("value", flat=True)) == [2, 4]


def test_a_score_outside_1_to_5_is_refused(editor, two_criteria_round):
    candidate, criterion = two_criteria_round.candidates.first(), two_criteria_round.criteria.first()

    with pytest.raises(ValidationError):
        selection_score(candidate=candidate, criterion=criterion, stakeholder=BlmFactory(), value=6, user=editor)

    assert not SelectionScore.objects.exists()


def test_the_ranking_takes_three_queries_whatever_the_number_of_candidates(
    editor, two_criteria_round, django_assert_num_queries
):
    blm = BlmFactory()
    score_all(two_criteria_round, blm, editor, {ANDAMAN: (5, 3), HILIR_MESJID: (2, 5), ANJIR_PASAR_KOTA: (1, 1)})

    with django_assert_num_queries(3):
        ranked, _stakeholders = selection_ranking(two_criteria_round)
        assert [entry.candidate.village.district.name for entry in ranked] == ["Anjir Pasar"] * 3


# --- Selection: decision -----------------------------------------------------


def test_the_decision_designates_the_chosen_villages_with_their_history(editor, two_criteria_round):
    blm = BlmFactory()
    score_all(two_criteria_round, blm, editor, {ANDAMAN: (5, 3), HILIR_MESJID: (2, 5)})
    chosen = list(two_criteria_round.candidates.filter(village__in=[ANDAMAN]))

    pilots = selection_decide(round_=two_criteria_round, chosen=chosen, rationale="Skor tertinggi.", user=editor)

    pilot = PilotVillage.objects.get()
    assert pilots == [pilot]
    assert (pilot.village_id, pilot.status, pilot.selection_round, pilot.responsible_blm) == (
        ANDAMAN,
        PilotStatus.DESIGNATED,
        two_criteria_round,
        two_criteria_round.responsible_blm,
    )
    assert (pilot.period_start, pilot.period_end) == (2020, 2024)
    steps = list(pilot.transitions.values_list("from_status", "to_status", "by", "reason"))
    title = two_criteria_round.title
    assert steps == [
        ("", PilotStatus.CANDIDATE, editor.pk, f"Diusulkan dalam {title}."),
        (PilotStatus.CANDIDATE, PilotStatus.ASSESSED, editor.pk, f"Dinilai para pihak dalam {title}."),
        (PilotStatus.ASSESSED, PilotStatus.DESIGNATED, editor.pk, "Skor tertinggi."),
    ]
    two_criteria_round.refresh_from_db()
    assert (two_criteria_round.status, two_criteria_round.decided_by) == (RoundStatus.DECIDED, editor)
    assert list(two_criteria_round.candidates.filter(chosen=True).values_list("village", flat=True)) == [ANDAMAN]


def test_the_decision_designates_an_existing_candidate_pilot_of_the_same_period(editor, two_criteria_round):
    existing = PilotVillageFactory(village=village(ANDAMAN), period_start=2020)
    score_all(two_criteria_round, BlmFactory(), editor, {ANDAMAN: (5, 5)})

    selection_decide(
        round_=two_criteria_round,
        chosen=two_criteria_round.candidates.filter(village=ANDAMAN),
        rationale="Sesuai hasil musyawarah.",
        user=editor,
    )

    existing.refresh_from_db()
    assert PilotVillage.objects.count() == 1
    assert (existing.status, existing.selection_round) == (PilotStatus.DESIGNATED, two_criteria_round)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unscored", "Desa berikut belum dinilai lengkap: Hilir Mesjid."),
        ("no rationale", "Tuliskan alasan keputusan."),
        ("nobody", "Pilih minimal satu desa."),
        ("weights", "Jumlah bobot kriteria harus 100%; sekarang 90%."),
    ],
)
def test_a_decision_that_cannot_stand_is_refused_and_changes_nothing(editor, two_criteria_round, case, message):
    score_all(two_criteria_round, BlmFactory(), editor, {ANDAMAN: (5, 5)})
    chosen = list(two_criteria_round.candidates.filter(village__in=[ANDAMAN, HILIR_MESJID]))
    rationale = "Hasil musyawarah."
    if case == "no rationale":
        chosen, rationale = chosen[:1], " "
    elif case == "nobody":
        chosen = []
    elif case == "weights":
        chosen = chosen[:1]
        two_criteria_round.criteria.filter(name="Aksesibilitas").update(weight=Decimal("30"))

    with pytest.raises(ValidationError) as refused:
        selection_decide(round_=two_criteria_round, chosen=chosen, rationale=rationale, user=editor)

    assert refused.value.messages == [message]
    two_criteria_round.refresh_from_db()
    assert two_criteria_round.status == RoundStatus.OPEN
    assert not PilotVillage.objects.exists()
    assert not two_criteria_round.candidates.filter(chosen=True).exists()


def test_a_decided_round_takes_no_more_scores_nor_a_second_decision(editor, two_criteria_round):
    blm = BlmFactory()
    score_all(two_criteria_round, blm, editor, {ANDAMAN: (5, 5)})
    chosen = two_criteria_round.candidates.filter(village=ANDAMAN)
    selection_decide(round_=two_criteria_round, chosen=chosen, rationale="Terpilih.", user=editor)
    two_criteria_round.refresh_from_db()

    with pytest.raises(ValidationError, match="sudah diputuskan"):
        score_all(two_criteria_round, blm, editor, {HILIR_MESJID: (3, 3)})
    with pytest.raises(ValidationError, match="sudah diputuskan"):
        selection_decide(round_=two_criteria_round, chosen=chosen, rationale="Lagi.", user=editor)
    assert PilotVillage.objects.count() == 1
