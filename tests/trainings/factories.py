"""Factories for trainings; regions are real (looked up by code), people and their NIKs are generated.

`blm_banjarmasin()` is the BLM of Kota Banjarmasin serving Kalimantan Selatan and Tengah (the test
`blm_user`'s working area); `make_batch()` is a batch of it held in a Barito Kuala village (63.04) by
default, or in Aceh Selatan (11.01) with `venue="11.01"` — outside the BLM's working area.
"""

import datetime
import itertools
from decimal import Decimal

from partners.models import Organisation, OrganisationKind
from regions.models import Regency, Village
from trainings import services
from trainings.models import (
    Attendance,
    AttendanceMark,
    Batch,
    BatchMode,
    BatchStatus,
    Programme,
    ProgrammeField,
    Session,
    Trainer,
)
from trainings.nik import Sex, compose

_serials = itertools.count(1)

# A Barito Kuala village (Anjir Pasar Kota, Kecamatan Anjir Pasar) and an Aceh Selatan one.
BARITO_KUALA_VILLAGE = "63.04.03.2003"
ACEH_SELATAN_VILLAGE = "11.01.01.2001"


def village(code_or_regency):
    """A real village: by its code, or the first village of a regency code ("63.04")."""
    if code_or_regency.count(".") == 3:
        return Village.objects.get(code=code_or_regency)
    return Village.objects.filter(district__regency_id=code_or_regency).order_by("code").first()


def blm_banjarmasin():
    blm, created = Organisation.objects.get_or_create(
        name="Balai Latihan Masyarakat Banjarmasin",
        defaults={
            "short_name": "BLM Banjarmasin",
            "kind": OrganisationKind.BLM,
            "regency": Regency.objects.get(code="63.71"),
            "province_id": "63",
        },
    )
    if created:
        blm.working_area.set(Regency.objects.filter(province_id__in=("62", "63")))
    return blm


def blm_aceh():
    """A BLM serving Aceh (outside the test BLM staff's working area)."""
    blm, created = Organisation.objects.get_or_create(
        name="Balai Latihan Masyarakat Aceh Uji",
        defaults={
            "short_name": "BLM Aceh",
            "kind": OrganisationKind.BLM,
            "regency": Regency.objects.get(code="11.01"),
            "province_id": "11",
        },
    )
    if created:
        blm.working_area.set(Regency.objects.filter(province_id="11"))
    return blm


def make_programme(*, blm=None, code=None, **fields):
    serial = next(_serials)
    defaults = {
        "title": f"Pengelolaan BUMDes {serial}",
        "field": ProgrammeField.BUMDES,
        "hours_jp": 30,
        "min_attendance_pct": 80,
        "min_post_test": 60,
    }
    return Programme.objects.create(
        blm=blm or blm_banjarmasin(), code=code or f"PRG-{serial:04d}", **{**defaults, **fields}
    )


def make_trainer(*, blm=None, **fields):
    return Trainer.objects.create(blm=blm or blm_banjarmasin(), **{"name": f"Pelatih {next(_serials)}", **fields})


def make_batch(
    *, programme=None, venue="63.04", sessions=0, status=BatchStatus.PLANNED, quota=30, targets=(), **fields
):
    """A batch held in a village of `venue` (a village or regency code), with `sessions` sessions of 3 JP."""
    venue_village = village(venue)
    blm = blm_aceh() if venue_village.district.regency_id.startswith("11") else blm_banjarmasin()
    programme = programme or make_programme(blm=blm)
    start = fields.pop("starts_on", datetime.date(2024, 5, 6))
    batch = Batch.objects.create(
        programme=programme,
        name=fields.pop("name", f"Angkatan {next(_serials)}"),
        blm=programme.blm,
        mode=BatchMode.IN_VILLAGE,
        venue_village=venue_village,
        starts_on=start,
        ends_on=fields.pop("ends_on", start + datetime.timedelta(days=max(sessions, 1) - 1)),
        quota=quota,
        status=status,
        **fields,
    )
    if targets:
        batch.target_villages.set([village(code) for code in targets])
    for day in range(sessions):
        Session.objects.create(
            batch=batch, date=start + datetime.timedelta(days=day), topic=f"Materi {day + 1}", hours_jp=Decimal(3)
        )
    return batch


# Generated NIKs take their serial from this range; tests that compose a NIK by hand (nik_of(1),
# nik_of(8201)) use serials outside it, so a generated person never has a NIK a test's file lists (the
# serial counter is shared by every test of a worker: which serial comes up depended on the tests before).
GENERATED_SERIALS = range(5000, 8000)


def make_nik(*, village_code=BARITO_KUALA_VILLAGE, birth_date=datetime.date(1990, 8, 5), sex=Sex.FEMALE, serial=None):
    district = village_code.rsplit(".", 1)[0]
    generated = GENERATED_SERIALS.start + next(_serials) % len(GENERATED_SERIALS)
    return compose(district, birth_date, sex, serial or generated)


def make_person(*, village_code=BARITO_KUALA_VILLAGE, nik=True, **fields):
    """A person living in a real village, with a generated NIK agreeing with their sex and birth date."""
    sex = fields.pop("sex", Sex.FEMALE)
    birth_date = fields.pop("birth_date", datetime.date(1990, 8, 5))
    if nik is True:
        nik = make_nik(village_code=village_code, birth_date=birth_date, sex=sex)
    return services.person_save(
        nik=nik or "",
        full_name=fields.pop("full_name", f"Siti Rahmah {next(_serials)}"),
        sex=sex,
        birth_date=birth_date,
        village=village(village_code),
        **fields,
    )


def enrol(batch, person=None, **person_fields):
    return services.enrol(batch=batch, person=person or make_person(**person_fields))


def mark_all(batch, mark=AttendanceMark.PRESENT):
    """Every participant holding a place marked `mark` at every session."""
    Attendance.objects.bulk_create(
        Attendance(enrolment=enrolment, session=session, mark=mark)
        for enrolment in batch.enrolments.all()
        for session in batch.sessions.all()
    )
