"""The agreements of the demo: the real 10 March 2020 MoU of Barito Kuala, its two PKS, a renewal,
commitments and PDFs."""

import datetime
import hashlib

from django.utils import timezone

from agreements.demo import MOU_NUMBER, MOU_RENEWAL_NUMBER, PKS_DISNAKERTRANS_NUMBER, PKS_DPMD_NUMBER
from agreements.models import Agreement, AgreementKind, AgreementStatus, Commitment, DocumentVersion, SignatoryRole
from agreements.reminders import reminders_collect

PROGRAMME_YEARS = range(2020, 2025)


def test_the_mou_is_the_one_signed_on_10_march_2020_at_aula_blm_banjarmasin(demo):
    mou = Agreement.objects.get(number=MOU_NUMBER)

    assert mou.kind == AgreementKind.MOU
    assert mou.issuer.short_name == "Kemendes PDTT"
    assert mou.signed_on == datetime.date(2020, 3, 10)
    assert mou.signed_place == "Aula BLM Banjarmasin"
    assert [p.organisation.short_name for p in mou.parties.order_by("position")] == [
        "Kemendes PDTT",
        "Pemkab Barito Kuala",
    ]
    signatories = mou.signatories.filter(role=SignatoryRole.SIGNATORY).select_related("organisation")
    assert [(s.name, s.position, s.organisation.short_name) for s in signatories] == [
        ("Anwar Sanusi", "Sekretaris Jenderal", "Kemendes PDTT"),
        ("Hj. Noormiliyani AS", "Bupati", "Pemkab Barito Kuala"),
    ]
    witnesses = set(mou.signatories.filter(role=SignatoryRole.WITNESS).values_list("name", flat=True))
    assert {"HM. Rifqinizami Karsayuda", "Pepen Efendi", "Sekretaris Balilatfo"} <= witnesses
    # 2020–2024, priority intervention: over by now.
    assert mou.effective_to == datetime.date(2024, 12, 31)
    assert mou.status == AgreementStatus.EXPIRED
    assert set(mou.areas.values_list("name", flat=True)) == {"Kawasan Perdesaan Anjir Pasar", "KTM Cahaya Baru"}
    assert list(mou.regencies.values_list("code", flat=True)) == ["63.04"]
    assert mou.villages.filter(district_id="63.04.03").count() == 15


def test_nobody_is_listed_twice_and_no_line_repeats_itself(demo):
    for agreement in Agreement.objects.prefetch_related("signatories__organisation"):
        people = list(agreement.signatories.all())
        lines = [(person.name, person.position, person.organisation_id) for person in people]
        assert len(lines) == len(set(lines)), agreement.number
        signers = {person.name for person in people if person.role == SignatoryRole.SIGNATORY}
        assert not {person.name for person in people if person.role == SignatoryRole.WITNESS} & signers
        for person in people:
            # The page shows "name, position — organisation": each part says something new.
            assert person.position.lower() not in person.name.lower(), person
            assert person.name.lower() not in person.position.lower(), person
            if person.organisation:
                assert person.organisation.name.lower() not in f"{person.name} {person.position}".lower(), person


def test_both_cooperation_agreements_implement_the_mou(demo):
    mou = Agreement.objects.get(number=MOU_NUMBER)
    pks = Agreement.objects.filter(number__in=[PKS_DPMD_NUMBER, PKS_DISNAKERTRANS_NUMBER]).order_by("number")

    assert [a.implements_id for a in pks] == [mou.pk, mou.pk]
    assert all(a.kind == AgreementKind.PKS and a.issuer.short_name == "Balilatfo" for a in pks)
    assert [list(a.parties.values_list("organisation__short_name", flat=True)) for a in pks] == [
        ["Balilatfo", "DPMD Barito Kuala"],
        ["Balilatfo", "Disnakertrans Barito Kuala"],
    ]
    assert all(a.signatories.filter(name="Eko Sri Haryanto").exists() for a in pks)


def test_the_renewal_says_it_is_invented_in_its_text_and_expires_within_the_warning_window(demo):
    renewal = Agreement.objects.get(number=MOU_RENEWAL_NUMBER)

    assert renewal.renewal_of.number == MOU_NUMBER
    assert renewal.title.startswith("Perpanjangan Nota Kesepahaman")
    assert "rekaan" in renewal.subject
    assert (renewal.effective_from, renewal.effective_to) == (datetime.date(2025, 1, 6), datetime.date(2026, 12, 31))
    if timezone.localdate() <= renewal.effective_to:
        # Loaded while in force: on 28 November 2026 it is 33 days from its end.
        assert renewal.status == AgreementStatus.ACTIVE
        reminded = {r.key for r in reminders_collect(today=datetime.date(2026, 11, 28))}
        assert f"agreement-expiring:{renewal.pk}:2026-12-31" in reminded


def test_commitments_follow_the_programme_aims_some_done_with_evidence_some_overdue(demo):
    commitments = Commitment.objects.select_related("party__organisation")
    done = commitments.filter(status="selesai")
    overdue = commitments.overdue(today=datetime.date(2026, 11, 28))

    assert done.exists()
    assert all(c.completed_on and c.evidence.exists() for c in done)
    assert overdue.count() >= 2
    owed_by = {c.party.organisation.short_name for c in commitments}
    assert {"Kemendes PDTT", "Pemkab Barito Kuala", "Balilatfo", "DPMD Barito Kuala"} <= owed_by
    text = " ".join(commitments.values_list("description", flat=True)).lower()
    for aim in ("sinergi", "kemandirian desa", "kerja sama antardesa", "pendapatan asli desa", "pendampingan"):
        assert aim in text, aim
    assert "laboratorium lapangan" in text


def test_what_was_owed_and_done_under_the_2020_agreements_is_dated_within_2020_to_2024(demo):
    commitments = Commitment.objects.filter(agreement__signed_on__year=2020).prefetch_related("evidence")

    assert commitments.exists()
    for commitment in commitments:
        assert commitment.due_date.year in PROGRAMME_YEARS, commitment
        if commitment.completed_on:
            assert commitment.completed_on.year in PROGRAMME_YEARS, commitment
        for evidence in commitment.evidence.all():
            assert timezone.localdate(evidence.uploaded_at) == commitment.completed_on


def test_every_agreement_has_a_generated_pdf_filed_on_its_signing_day(demo):
    for agreement in Agreement.objects.all():
        version = DocumentVersion.objects.select_related("document").get(document__agreement=agreement)
        assert version.number == 1
        assert version.document.title == f"Naskah {agreement.number}"
        assert timezone.localdate(version.uploaded_at) == agreement.signed_on
        assert version.content_type == "application/pdf"
        assert version.uploaded_by.username == "admin"
        with version.file.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-")
        assert len(content) == version.size
        assert hashlib.sha256(content).hexdigest() == version.sha256
