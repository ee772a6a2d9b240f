"""Daily reminders: who is told about an expiring agreement or an overdue commitment, once only, in Indonesian."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Commitment,
    CommitmentStatus,
)
from agreements.reminders import reminders_collect, reminders_send
from partners.models import OrganisationKind
from percontohan.models import Notification
from regions.models import Regency
from tests.factories import OrganisationFactory, UserFactory

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def ministry(db):
    return OrganisationFactory(name="Kementerian Uji", kind=OrganisationKind.MINISTRY, regency=None, province=None)


@pytest.fixture
def dinas(db):
    return OrganisationFactory(name="Dinas PMD Uji Barito Kuala")


def make_agreement(issuer, parties, *, number="UJI/001", ends=TODAY + datetime.timedelta(days=30), regency="63.04"):
    """An active agreement covering one regency, with its parties in order."""
    agreement = Agreement(
        kind=AgreementKind.MOU,
        number=number,
        issuer=issuer,
        title=f"Nota kesepahaman uji {number}",
        signed_on=datetime.date(2025, 1, 1),
        effective_from=datetime.date(2025, 1, 1),
        effective_to=ends,
        status=AgreementStatus.ACTIVE,
    )
    agreement.full_clean()
    agreement.save()
    agreement.regencies.set([Regency.objects.get(code=regency)])
    for position, organisation in enumerate(parties, start=1):
        AgreementParty.objects.create(agreement=agreement, organisation=organisation, position=position)
    return agreement


def make_commitment(agreement, position, *, due, status=CommitmentStatus.IN_PROGRESS, description="Laporan uji"):
    return Commitment.objects.create(
        agreement=agreement,
        party=agreement.parties.get(position=position),
        description=description,
        due_date=due,
        status=status,
    )


@pytest.fixture
def people(db, ministry, dinas, admin_user, blm_user, pemda_user, ministry_user):
    """Who could be told: the parties' staff, editors in and out of scope, and readers."""
    return {
        "admin": admin_user,
        "blm": blm_user,  # Staf BLM of Kalimantan Selatan and Tengah
        "pemda": pemda_user,  # official of Barito Kuala, no party's staff
        "ministry_reader": ministry_user,
        "ministry_staff": UserFactory(username="staf-kementerian", role="kementerian", organisation=ministry),
        "dinas_staff": UserFactory(
            username="staf-dinas", role="pejabat_pemda", organisation=dinas, regencies=("63.04",)
        ),
        "dinas_former": UserFactory(
            username="mantan-dinas", role="pejabat_pemda", organisation=dinas, regencies=("63.04",), is_active=False
        ),
        "blm_aceh": UserFactory(username="blm-aceh", role="staf_blm", regencies=("11",)),
    }


def usernames(users):
    return sorted(user.username for user in users)


def test_an_expiring_agreement_reminds_its_parties_staff_and_the_editors_whose_scope_covers_it(people, ministry, dinas):
    make_agreement(ministry, [ministry, dinas])

    [reminder] = reminders_collect(today=TODAY)

    assert reminder.kind == "agreement-expiring"
    assert usernames(reminder.recipients) == ["admin-test", "blm-test", "staf-dinas", "staf-kementerian"]


def test_an_overdue_commitment_reminds_the_responsible_partys_staff_and_the_editors(people, ministry, dinas):
    agreement = make_agreement(ministry, [ministry, dinas], ends=datetime.date(2027, 12, 31))
    make_commitment(agreement, 2, due=TODAY - datetime.timedelta(days=1))

    [reminder] = reminders_collect(today=TODAY)

    assert reminder.kind == "commitment-overdue"
    # The ministry is a party but does not owe this commitment.
    assert usernames(reminder.recipients) == ["admin-test", "blm-test", "staf-dinas"]


def test_nobody_is_reminded_of_an_agreement_they_may_not_see(people, ministry, dinas):
    # An Aceh Selatan agreement: the BLM of Kalimantan and the Barito Kuala dinas staff cannot open it.
    make_agreement(ministry, [ministry, dinas], regency="11.01")

    [reminder] = reminders_collect(today=TODAY)

    assert usernames(reminder.recipients) == ["admin-test", "blm-aceh", "staf-kementerian"]


def test_the_expiry_window_follows_the_setting(settings, people, ministry, dinas):
    make_agreement(ministry, [ministry, dinas], ends=TODAY + datetime.timedelta(days=60))

    settings.AGREEMENT_EXPIRY_WARNING_DAYS = 30
    assert reminders_collect(today=TODAY) == []
    settings.AGREEMENT_EXPIRY_WARNING_DAYS = 60
    assert len(reminders_collect(today=TODAY)) == 1


def test_agreements_already_expired_or_not_in_force_are_not_reminded(people, ministry, dinas):
    make_agreement(ministry, [ministry, dinas], number="UJI/LEWAT", ends=TODAY - datetime.timedelta(days=1))
    ended = make_agreement(ministry, [ministry, dinas], number="UJI/DIAKHIRI")
    ended.status = AgreementStatus.TERMINATED
    ended.save()

    assert reminders_collect(today=TODAY) == []


def test_a_commitment_is_overdue_only_when_not_done_and_past_its_due_date(people, ministry, dinas):
    agreement = make_agreement(ministry, [ministry, dinas], ends=datetime.date(2027, 12, 31))
    make_commitment(agreement, 2, due=TODAY - datetime.timedelta(days=5), status=CommitmentStatus.DONE)
    make_commitment(agreement, 2, due=TODAY, description="Jatuh tempo hari ini")
    late = make_commitment(agreement, 2, due=TODAY - datetime.timedelta(days=5), status=CommitmentStatus.OPEN)

    [reminder] = reminders_collect(today=TODAY)

    assert reminder.key == f"commitment-overdue:{late.pk}:{late.due_date.isoformat()}"


def test_sending_twice_creates_no_duplicate_notifications_and_no_second_email(people, ministry, dinas):
    for user in people.values():
        user.email = f"{user.username}@example.go.id"
        user.save()
    agreement = make_agreement(ministry, [ministry, dinas])
    make_commitment(agreement, 2, due=TODAY - datetime.timedelta(days=3))

    first = reminders_send(today=TODAY)
    notifications = Notification.objects.count()
    emails = len(mail.outbox)
    second = reminders_send(today=TODAY)

    assert first["notifications"] == notifications == 4 + 3
    assert emails == 4  # one digest per user, not one per reminder
    assert second["notifications"] == 0
    assert second["emails"] == 0
    assert Notification.objects.count() == notifications
    assert len(mail.outbox) == emails
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_new_due_date_is_a_new_reminder(people, ministry, dinas):
    agreement = make_agreement(ministry, [ministry, dinas], ends=datetime.date(2027, 12, 31))
    commitment = make_commitment(agreement, 2, due=TODAY - datetime.timedelta(days=40))
    reminders_send(today=TODAY)
    # A recurring commitment moved on to its next period, which is overdue too.
    commitment.due_date = TODAY - datetime.timedelta(days=10)
    commitment.save()

    assert reminders_send(today=TODAY)["notifications"] == 3


def test_the_digest_is_in_indonesian_and_links_to_the_portal(settings, people, ministry, dinas):
    settings.SITE_URL = "https://portal.example.go.id"
    staff = people["dinas_staff"]
    staff.email = "dinas@example.go.id"
    staff.save()
    agreement = make_agreement(ministry, [ministry, dinas], ends=datetime.date(2026, 12, 31))
    commitment = make_commitment(agreement, 2, due=datetime.date(2026, 6, 30), description="Menyusun rencana")

    reminders_send(today=TODAY)

    [message] = mail.outbox
    assert message.to == ["dinas@example.go.id"]
    assert message.subject == ("[Portal Desa Percontohan] Pengingat: 1 perjanjian akan berakhir, 1 komitmen terlambat")
    body = message.body
    assert f"Yth. {staff}," in body
    assert "Perjanjian yang akan berakhir" in body
    assert "berakhir pada 31 Desember 2026 (33 hari lagi)" in body
    assert "Komitmen yang melewati tenggat" in body
    assert "melewati tenggat 30 Juni 2026" in body
    assert f"https://portal.example.go.id/perjanjian/{agreement.pk}/" in body
    assert f"https://portal.example.go.id{commitment.get_absolute_url()}" in body
    assert "https://portal.example.go.id/notifikasi/" in body


def test_a_user_without_an_email_address_still_gets_the_notification(people, ministry, dinas):
    make_agreement(ministry, [ministry, dinas])

    result = reminders_send(today=TODAY)

    assert result["notifications"] == 4
    assert result["emails"] == 0
    assert mail.outbox == []
    assert Notification.objects.filter(user=people["dinas_staff"], url__startswith="/perjanjian/").exists()


def test_a_notification_read_before_the_email_went_out_is_not_emailed(people, ministry, dinas):
    make_agreement(ministry, [ministry, dinas])
    reminders_send(today=TODAY)  # no addresses yet
    Notification.objects.filter(user=people["blm"]).update(read_at=datetime.datetime.now(datetime.UTC))
    for key in ("blm", "dinas_staff"):
        people[key].email = f"{people[key].username}@example.go.id"
        people[key].save()

    reminders_send(today=TODAY)

    assert [message.to for message in mail.outbox] == [["staf-dinas@example.go.id"]]


def test_the_daily_command_moves_agreements_by_date_then_sends_reminders(people, ministry, dinas):
    lapsed = make_agreement(ministry, [ministry, dinas], number="UJI/LAMA", ends=datetime.date(2026, 1, 31))
    make_agreement(ministry, [ministry, dinas], number="UJI/BARU")

    # The test task backend runs an enqueued task at once.
    call_command("run_daily", "--date", TODAY.isoformat())

    lapsed.refresh_from_db()
    assert lapsed.status == AgreementStatus.EXPIRED
    assert Notification.objects.filter(key__startswith="agreement-expiring:").count() == 4


def test_the_daily_command_runs_now_when_asked(people, ministry, dinas, capsys):
    make_agreement(ministry, [ministry, dinas])

    call_command("run_daily", "--now", "--date", TODAY.isoformat())

    assert Notification.objects.count() == 4
    assert "Tugas harian selesai" in capsys.readouterr().out
