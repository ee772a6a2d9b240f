"""The agreement services: saving with parties, signatories and coverage; the lifecycle and its refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import Agreement, AgreementKind, AgreementParty, AgreementStatus, SignatoryRole
from agreements.services import (
    agreement_actions,
    agreement_add_addendum,
    agreement_renew,
    agreement_save,
    agreement_sign,
    agreement_terminate,
    agreements_refresh_statuses,
)
from percontohan.history import StaleRecordError
from tests.agreements.factories import (
    AgreementFactory,
    CommitmentFactory,
    SignedAgreementFactory,
    balilatfo,
    barito_kuala_mou,
    dinas,
    kemendes,
    regency_government,
)
from tests.factories import UserFactory
from tests.villages.factories import CAHAYA_BARU, KEUDE_BAKONGAN, ProgrammeAreaFactory, regency, village

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def editor(db):
    return UserFactory(role="staf_blm", username="staf-blm-perjanjian", regencies=("62", "63"))


def new_mou(**fields):
    return Agreement(
        kind=AgreementKind.MOU,
        number=fields.pop("number", "NK.01/SJ/III/2020"),
        issuer=kemendes(),
        title="Pembangunan Desa Percontohan di Kabupaten Barito Kuala",
        **fields,
    )


def two_parties():
    return [
        {"organisation": kemendes(), "position": 1},
        {"organisation": regency_government("63.04"), "position": 2},
    ]


SIGNATORIES = [
    {"role": SignatoryRole.SIGNATORY, "name": "Anwar Sanusi", "position": "Sekretaris Jenderal", "organisation": None},
    {"role": SignatoryRole.WITNESS, "name": "Pepen Efendi", "position": "Kepala BLM Banjarmasin", "organisation": None},
]


# --- Saving ------------------------------------------------------------------


def test_saving_a_new_agreement_records_its_parties_signatories_and_coverage(editor):
    agreement = agreement_save(
        agreement=new_mou(),
        parties=two_parties(),
        signatories=SIGNATORIES,
        regencies=[regency("63.04")],
        user=editor,
    )

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    assert [(p.position, p.organisation.short_name) for p in agreement.parties.order_by("position")] == [
        (1, "Kemendes PDTT"),
        (2, ""),
    ]
    assert [(s.role, s.name, s.order) for s in agreement.signatories.all()] == [
        (SignatoryRole.SIGNATORY, "Anwar Sanusi", 0),
        (SignatoryRole.WITNESS, "Pepen Efendi", 1),
    ]
    assert list(agreement.regencies.values_list("code", flat=True)) == ["63.04"]


def test_covering_a_village_or_an_area_covers_its_regency_too(editor):
    area = ProgrammeAreaFactory(name="KTM Cahaya Baru", kind="ktm")

    agreement = agreement_save(
        agreement=new_mou(),
        parties=two_parties(),
        signatories=[],
        villages=[village(KEUDE_BAKONGAN)],
        areas=[area],
        user=UserFactory(role="admin"),
    )

    assert set(agreement.regencies.values_list("code", flat=True)) == {"63.04", "11.01"}
    assert list(agreement.villages.values_list("code", flat=True)) == [KEUDE_BAKONGAN]
    assert list(agreement.areas.all()) == [area]


def test_an_agreement_a_scoped_user_saves_must_cover_a_region(editor):
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=new_mou(), parties=two_parties(), signatories=[], user=editor)

    assert "regencies" in refused.value.message_dict
    assert not Agreement.objects.exists()


def test_an_agreement_needs_a_party(editor):
    with pytest.raises(ValidationError, match="minimal satu pihak"):
        agreement_save(agreement=new_mou(), parties=[], signatories=[], regencies=[regency("63.04")], user=editor)


def test_one_organisation_cannot_be_two_parties_and_nothing_is_saved(editor):
    agreement = new_mou()
    parties = [{"organisation": kemendes(), "position": 1}, {"organisation": kemendes(), "position": 2}]

    with pytest.raises(ValidationError, match="Satu instansi hanya dapat menjadi satu pihak"):
        agreement_save(agreement=agreement, parties=parties, signatories=[], regencies=[regency("63.04")], user=editor)

    assert not Agreement.objects.exists()
    assert agreement.pk is None  # the form can be shown again and resubmitted as a new agreement


def test_a_position_cannot_be_held_by_two_parties(editor):
    parties = [{"organisation": kemendes(), "position": 1}, {"organisation": regency_government(), "position": 1}]

    with pytest.raises(ValidationError, match="kedudukan pihak"):
        agreement_save(agreement=new_mou(), parties=parties, signatories=[], regencies=[regency("63.04")])


def test_editing_keeps_the_parties_that_stay_and_lets_two_swap_places(editor):
    agreement = AgreementFactory()
    first, second = agreement.parties.order_by("position")
    commitment = CommitmentFactory(agreement=agreement, party=second)
    third = dinas("Dinas Pemberdayaan Masyarakat dan Desa Barito Kuala")

    agreement_save(
        agreement=agreement,
        parties=[
            {"organisation": second.organisation, "position": 1},
            {"organisation": first.organisation, "position": 2},
            {"organisation": third, "position": 3},
        ],
        signatories=[],
        regencies=[regency("63.04")],
        user=editor,
    )

    parties = {p.organisation_id: p for p in agreement.parties.all()}
    assert parties[second.organisation_id].pk == second.pk  # the commitment still points to it
    assert parties[second.organisation_id].position == 1
    assert parties[first.organisation_id].position == 2
    assert parties[third.pk].position == 3
    commitment.refresh_from_db()
    assert commitment.party_id == second.pk
    assert not agreement.signatories.exists()


def test_a_party_that_owes_a_commitment_cannot_be_removed(editor):
    agreement = AgreementFactory()
    first, second = agreement.parties.order_by("position")
    CommitmentFactory(agreement=agreement, party=second)

    with pytest.raises(ValidationError, match="masih memiliki komitmen"):
        agreement_save(
            agreement=agreement,
            parties=[{"organisation": first.organisation, "position": 1}],
            signatories=[],
            regencies=[regency("63.04")],
            user=editor,
        )

    assert agreement.parties.count() == 2


def test_signatories_are_updated_in_place_added_and_removed(editor):
    agreement = AgreementFactory()
    kept, dropped = agreement.signatories.all()

    agreement_save(
        agreement=agreement,
        parties=two_parties(),
        signatories=[
            {"pk": kept.pk, "role": SignatoryRole.SIGNATORY, "name": "Anwar Sanusi", "position": "Sekjen"},
            {"role": SignatoryRole.WITNESS, "name": "Pepen Efendi", "position": "Kepala BLM Banjarmasin"},
        ],
        regencies=[regency("63.04")],
        user=editor,
    )

    rows = list(agreement.signatories.all())
    assert [(s.name, s.role) for s in rows] == [
        ("Anwar Sanusi", SignatoryRole.SIGNATORY),
        ("Pepen Efendi", SignatoryRole.WITNESS),
    ]
    assert rows[0].pk == kept.pk
    assert not agreement.signatories.filter(pk=dropped.pk).exists()


def test_saving_over_a_newer_version_is_refused_and_keeps_the_version_read(editor):
    agreement = AgreementFactory()
    stale = Agreement.objects.get(pk=agreement.pk)
    agreement_save(
        agreement=agreement, parties=two_parties(), signatories=[], regencies=[regency("63.04")], user=editor
    )
    stale.title = "Judul yang ditimpa"

    with pytest.raises(StaleRecordError):
        agreement_save(
            agreement=stale, parties=two_parties(), signatories=[], regencies=[regency("63.04")], user=editor
        )

    assert Agreement.objects.get(pk=agreement.pk).title != "Judul yang ditimpa"
    assert stale.version == 1


def test_changing_the_dates_of_an_active_agreement_moves_it_to_expired():
    agreement = SignedAgreementFactory(effective_to=None)
    agreement.effective_to = datetime.date(2024, 12, 31)

    agreement_save(agreement=agreement, parties=two_parties(), signatories=[], regencies=[regency("63.04")])

    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.EXPIRED


def test_a_number_is_unique_per_issuing_organisation():
    AgreementFactory(number="NK.01/SJ/III/2020")
    with pytest.raises(ValidationError, match="Nomor ini sudah dipakai"):
        agreement_save(agreement=new_mou(), parties=two_parties(), signatories=[], regencies=[regency("63.04")])
    # Another issuer may use the same number.
    other = new_mou()
    other.issuer = balilatfo()
    other.kind = AgreementKind.PKS
    agreement_save(agreement=other, parties=two_parties(), signatories=[], regencies=[regency("63.04")])


# --- Signing -----------------------------------------------------------------


def test_signing_a_draft_with_past_dates_puts_it_in_force_at_once():
    agreement = AgreementFactory(effective_from=datetime.date(2020, 3, 10))

    signed = agreement_sign(
        agreement=agreement, signed_on=datetime.date(2020, 3, 10), signed_place="Aula BLM Banjarmasin", today=TODAY
    )

    assert signed.status == AgreementStatus.ACTIVE
    signed.refresh_from_db()
    assert (signed.signed_on, signed.signed_place) == (datetime.date(2020, 3, 10), "Aula BLM Banjarmasin")


def test_signing_an_agreement_that_starts_later_leaves_it_signed():
    agreement = AgreementFactory(effective_from=TODAY + datetime.timedelta(days=30))

    signed = agreement_sign(agreement=agreement, signed_on=TODAY, today=TODAY)

    assert signed.status == AgreementStatus.SIGNED


def test_signing_an_agreement_whose_period_is_over_records_it_as_expired():
    agreement = AgreementFactory(effective_from=datetime.date(2020, 3, 10), effective_to=datetime.date(2024, 12, 31))

    assert agreement_sign(agreement=agreement, signed_on=datetime.date(2020, 3, 10), today=TODAY).status == (
        AgreementStatus.EXPIRED
    )


def test_signing_needs_a_date_two_parties_and_a_signatory():
    agreement = AgreementFactory(parties=[kemendes()], signatories=[])

    with pytest.raises(ValidationError) as refused:
        agreement_sign(agreement=agreement, today=TODAY)

    errors = refused.value.message_dict
    assert errors["signed_on"] == ["Isi tanggal penandatanganan."]
    assert "minimal dua pihak" in " ".join(errors["__all__"])
    assert "minimal satu penandatangan" in " ".join(errors["__all__"])
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT


def test_witnesses_alone_do_not_make_an_agreement_signable():
    agreement = AgreementFactory(signatories=[{"role": SignatoryRole.WITNESS, "name": "Saksi", "position": "DPR"}])

    with pytest.raises(ValidationError, match="penandatangan"):
        agreement_sign(agreement=agreement, signed_on=TODAY, today=TODAY)


def test_an_agreement_cannot_be_signed_in_the_future():
    agreement = AgreementFactory()

    with pytest.raises(ValidationError, match="masa depan"):
        agreement_sign(agreement=agreement, signed_on=TODAY + datetime.timedelta(days=1), today=TODAY)


def test_signing_twice_is_refused_with_the_current_status_named():
    agreement = SignedAgreementFactory()

    with pytest.raises(ValidationError) as refused:
        agreement_sign(agreement=agreement, signed_on=TODAY, today=TODAY)

    assert refused.value.messages == [
        "Perjanjian berstatus “Berlaku” tidak dapat ditandatangani; hanya draf yang dapat ditandatangani."
    ]


# --- Following the dates -----------------------------------------------------


def test_the_daily_refresh_moves_agreements_to_what_their_dates_say():
    starts = SignedAgreementFactory(status=AgreementStatus.SIGNED, effective_from=TODAY)
    ends = SignedAgreementFactory(status=AgreementStatus.ACTIVE, effective_to=TODAY - datetime.timedelta(days=1))
    signed_and_over = SignedAgreementFactory(status=AgreementStatus.SIGNED, effective_to=datetime.date(2024, 12, 31))
    open_ended = SignedAgreementFactory(effective_to=None)
    later = SignedAgreementFactory(status=AgreementStatus.SIGNED, effective_from=TODAY + datetime.timedelta(days=1))
    last_day = SignedAgreementFactory(effective_to=TODAY)
    draft = AgreementFactory(effective_to=datetime.date(2024, 12, 31))
    terminated = SignedAgreementFactory(status=AgreementStatus.TERMINATED, effective_to=datetime.date(2024, 1, 1))

    assert agreements_refresh_statuses(today=TODAY) == 3

    status = dict(Agreement.objects.values_list("pk", "status"))
    assert status[starts.pk] == AgreementStatus.ACTIVE
    assert status[ends.pk] == AgreementStatus.EXPIRED
    assert status[signed_and_over.pk] == AgreementStatus.EXPIRED
    assert status[open_ended.pk] == AgreementStatus.ACTIVE
    assert status[later.pk] == AgreementStatus.SIGNED
    assert status[last_day.pk] == AgreementStatus.ACTIVE
    assert status[draft.pk] == AgreementStatus.DRAFT
    assert status[terminated.pk] == AgreementStatus.TERMINATED
    assert agreements_refresh_statuses(today=TODAY) == 0


def test_a_refresh_bumps_the_version_so_an_edit_opened_before_cannot_put_the_old_status_back():
    agreement = SignedAgreementFactory(status=AgreementStatus.ACTIVE, effective_to=TODAY - datetime.timedelta(days=1))
    opened = Agreement.objects.get(pk=agreement.pk)

    agreements_refresh_statuses(today=TODAY)

    with pytest.raises(StaleRecordError):
        agreement_save(agreement=opened, parties=two_parties(), signatories=[], regencies=[regency("63.04")])
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.EXPIRED


# --- Terminating -------------------------------------------------------------


def test_terminating_records_the_date_and_reason():
    agreement = SignedAgreementFactory()

    terminated = agreement_terminate(
        agreement=agreement, terminated_on=datetime.date(2022, 6, 1), reason="  Kesepakatan para pihak.  "
    )

    terminated.refresh_from_db()
    assert terminated.status == AgreementStatus.TERMINATED
    assert terminated.terminated_on == datetime.date(2022, 6, 1)
    assert terminated.termination_reason == "Kesepakatan para pihak."


def test_terminating_needs_a_reason_and_a_date():
    agreement = SignedAgreementFactory()

    with pytest.raises(ValidationError) as refused:
        agreement_terminate(agreement=agreement, terminated_on=None, reason=" ")

    assert set(refused.value.message_dict) == {"terminated_on", "termination_reason"}
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.ACTIVE


def test_an_agreement_is_not_terminated_before_it_was_signed():
    agreement = SignedAgreementFactory()

    with pytest.raises(ValidationError, match="sebelum tanggal penandatanganan"):
        agreement_terminate(agreement=agreement, terminated_on=datetime.date(2020, 3, 9), reason="Salah catat.")


@pytest.mark.parametrize("status", [AgreementStatus.DRAFT, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED])
def test_only_a_signed_or_active_agreement_can_be_terminated(status):
    agreement = SignedAgreementFactory(status=status)

    with pytest.raises(ValidationError, match="tidak dapat diakhiri"):
        agreement_terminate(agreement=agreement, terminated_on=TODAY, reason="Tidak dilanjutkan.")

    assert Agreement.objects.get(pk=agreement.pk).status == status


# --- Renewing and amending ---------------------------------------------------


def test_a_renewal_is_a_new_draft_with_the_parties_coverage_and_title():
    mou = barito_kuala_mou(regencies=["63.04", "63.05"])
    mou.villages.set([village(CAHAYA_BARU)])
    area = ProgrammeAreaFactory(name="Kawasan Perdesaan Anjir Pasar")
    mou.areas.set([area])

    renewal = agreement_renew(agreement=mou, number="NK.07/SJ/I/2025")

    renewal.refresh_from_db()
    assert renewal.status == AgreementStatus.DRAFT
    assert renewal.renewal_of_id == mou.pk
    assert list(mou.renewals.all()) == [renewal]
    assert (renewal.kind, renewal.title, renewal.issuer_id) == (mou.kind, mou.title, mou.issuer_id)
    assert [(p.position, p.organisation_id) for p in renewal.parties.order_by("position")] == [
        (p.position, p.organisation_id) for p in mou.parties.order_by("position")
    ]
    assert set(renewal.regencies.values_list("code", flat=True)) == {"63.04", "63.05"}
    assert list(renewal.villages.all()) == [village(CAHAYA_BARU)]
    assert list(renewal.areas.all()) == [area]
    assert not renewal.signatories.exists()
    assert renewal.signed_on is None and renewal.effective_to is None


def test_a_renewal_needs_a_number_of_its_own():
    mou = barito_kuala_mou()

    with pytest.raises(ValidationError, match="Nomor ini sudah dipakai"):
        agreement_renew(agreement=mou, number=mou.number)

    assert Agreement.objects.count() == 1


def test_a_draft_cannot_be_renewed():
    with pytest.raises(ValidationError, match="tidak dapat diperpanjang"):
        agreement_renew(agreement=AgreementFactory(), number="NK.08/2025")


def test_an_addendum_amends_the_agreement_and_the_chain_shows_both_ways():
    mou = barito_kuala_mou(effective_to=None)

    first = agreement_add_addendum(agreement=mou, number="AD.01/2021", title="Adendum I", subject="Tambahan desa.")
    second = agreement_add_addendum(agreement=mou, number="AD.02/2022", title="Adendum II")

    assert first.kind == AgreementKind.ADDENDUM and first.status == AgreementStatus.DRAFT
    assert first.amends_id == mou.pk
    assert set(mou.addenda.all()) == {first, second}
    assert [p.organisation_id for p in first.parties.order_by("position")] == [
        p.organisation_id for p in mou.parties.order_by("position")
    ]
    assert list(first.regencies.values_list("code", flat=True)) == ["63.04"]


@pytest.mark.parametrize("status", [AgreementStatus.DRAFT, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED])
def test_only_a_signed_or_active_agreement_can_be_amended(status):
    agreement = SignedAgreementFactory(status=status)

    with pytest.raises(ValidationError, match="tidak dapat diubah dengan adendum"):
        agreement_add_addendum(agreement=agreement, number="AD.01/2026", title="Adendum I")

    assert not Agreement.objects.filter(kind=AgreementKind.ADDENDUM).exists()


def test_an_addendum_needs_a_title():
    with pytest.raises(ValidationError) as refused:
        agreement_add_addendum(agreement=SignedAgreementFactory(), number="AD.01/2026", title=" ")

    assert "title" in refused.value.message_dict


def test_the_steps_offered_follow_the_status():
    assert agreement_actions(AgreementFactory()) == {"sign"}
    assert agreement_actions(SignedAgreementFactory(status=AgreementStatus.SIGNED)) == {
        "terminate",
        "renew",
        "addendum",
    }
    assert agreement_actions(SignedAgreementFactory(status=AgreementStatus.EXPIRED)) == {"renew"}
    assert agreement_actions(SignedAgreementFactory(status=AgreementStatus.TERMINATED)) == set()


def test_the_barito_kuala_mou_has_the_people_named_in_the_programme_record():
    mou = barito_kuala_mou()

    assert mou.signed_on == datetime.date(2020, 3, 10)
    names = dict(mou.signatories.values_list("name", "role"))
    assert names["Anwar Sanusi"] == SignatoryRole.SIGNATORY
    assert names["HM. Rifqinizami Karsayuda"] == SignatoryRole.WITNESS
    assert AgreementParty.objects.filter(agreement=mou).count() == 2
