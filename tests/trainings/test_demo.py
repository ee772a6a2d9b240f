"""The trainings of the demo: BLM Banjarmasin's trainings of 2020–2024 for villagers of the pilot
villages of Anjir Pasar and Cahaya Baru, with generated people whose NIKs hold together."""

import datetime

from percontohan.demo import demo_load
from trainings import nik as niks
from trainings.demo import KTM_VILLAGES, RURAL_VILLAGES
from trainings.models import (
    Attendance,
    Batch,
    BatchStatus,
    Certificate,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    Person,
    Programme,
    Reaction,
)


def test_blm_banjarmasin_trained_the_pilot_villages_from_2020_to_2024(demo):
    """One test for the demo's facts: the demo takes seconds to load, and each test loads it again."""
    # BLM Banjarmasin ran six programmes in twelve batches from 2020 to 2024.
    assert Programme.objects.filter(blm__short_name="BLM Banjarmasin").count() == 6
    batches = Batch.objects.all()
    assert batches.count() == 12
    assert {batch.blm.short_name for batch in batches} == {"BLM Banjarmasin"}
    assert all(datetime.date(2020, 1, 1) <= b.starts_on <= b.ends_on <= datetime.date(2024, 12, 31) for b in batches)
    assert {batch.status for batch in batches} == {BatchStatus.CLOSED}
    assert {area for area in batches.values_list("area__name", flat=True)} == {
        "Kawasan Perdesaan Anjir Pasar",
        "KTM Cahaya Baru",
    }

    # Three hundred villagers of the pilot villages were trained, some twice.
    assert Person.objects.count() == 300
    assert set(Person.objects.values_list("village_id", flat=True)) <= set(RURAL_VILLAGES + KTM_VILLAGES)
    trained = Person.objects.filter(enrolments__isnull=False).distinct().count()
    assert trained == 300 < Enrolment.objects.count()

    # Every generated nik is valid and agrees with its person.
    people = list(Person.objects.filter(nik_hash__isnull=False))
    assert len(people) > 280  # a few were registered without their NIK at hand
    assert Person.objects.filter(nik_hash__isnull=True).exists()
    for person in people:
        reading = niks.read(person.nik, today=datetime.date(2026, 1, 1))
        assert not niks.disagreements(reading, sex=person.sex, birth_date=person.birth_date)
        assert person.nik_masked == niks.mask(person.nik)

    # Each batch has a full attendance sheet scores results and a waiting list moved on.
    for batch in Batch.objects.prefetch_related("sessions"):
        holding = batch.enrolments.exclude(status__in=(EnrolmentStatus.WITHDRAWN, EnrolmentStatus.WAITING))
        assert holding.count() == batch.quota
        assert Attendance.objects.filter(session__batch=batch).count() == batch.quota * batch.sessions.count()
        assert not holding.filter(post_test__isnull=True).exists()
        assert holding.filter(status=EnrolmentStatus.COMPLETED).exists()
        assert batch.enrolments.filter(status=EnrolmentStatus.WITHDRAWN).count() == 1
    assert Enrolment.objects.filter(status=EnrolmentStatus.NOT_COMPLETED).exclude(result_reason="").exists()
    assert Reaction.objects.count() > 200

    # Everyone who completed holds a numbered certificate and is followed up.
    completed = Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED)
    assert Certificate.objects.count() == completed.count()
    assert Certificate.objects.filter(number__startswith="BLM-BJM/2020/").exists()
    assert FollowUp.objects.count() == 2 * completed.count()
    done = FollowUp.objects.filter(done_on__isnull=False)
    assert done.filter(reached=True, applied__in=("ya", "sebagian")).exists()
    assert done.filter(business_started=True).exists()
    assert FollowUp.objects.filter(done_on__isnull=True).exists()  # the worklist has work


def test_loading_the_demo_again_changes_nothing(demo):
    before = (Person.objects.count(), Enrolment.objects.count(), Attendance.objects.count())
    demo_load()
    assert (Person.objects.count(), Enrolment.objects.count(), Attendance.objects.count()) == before
