"""The rules of trainings, in one place: registering people (NIK checks, duplicates), enrolling them
(quota and waiting list), a batch's lifecycle, and who completed a training and why.

Views, the import and the demo all write through these functions; each raises a ValidationError
(by field where there is one) that the caller shows, and changes nothing when it does.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.commitments import add_months
from percontohan.history import StaleRecordError
from trainings import nik as niks
from trainings.models import (
    ATTENDED,
    HOLDING_PLACE,
    Attendance,
    Batch,
    BatchStatus,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    FollowUpWave,
    Person,
)

# --- People ---------------------------------------------------------------------------------------------


def check_nik(value, *, sex=None, birth_date=None, today=None):
    """Read a NIK and compare it with the sex and birth date entered.

    Returns (reading, warnings); raises ValidationError by field: "nik" for a malformed NIK (saying
    which digits are wrong), "sex" / "birth_date" for what disagrees with it. No message holds the NIK.
    """
    try:
        reading = niks.read(value, today=today)
    except niks.NikError as error:
        raise ValidationError({"nik": str(error)}, code="nik") from None
    found = niks.disagreements(reading, sex=sex, birth_date=birth_date)
    if found:
        raise ValidationError(found, code="nik_disagrees")
    return reading, reading.warnings


def find_by_nik(value):
    """The person registered with this NIK (by its keyed hash, never decrypting), or None."""
    digits = niks.normalise(value)
    if not digits:
        return None
    return Person.objects.filter(nik_hash=niks.nik_hash(digits)).first()


def possible_duplicates(*, full_name, birth_date, village, exclude=None, limit=5):
    """People who may be the same person: same village and birth date and a similar name.

    Used for someone registered without a NIK at hand, and shown before saving them.
    """
    people = Person.objects.filter(village=village, birth_date=birth_date)
    if exclude is not None and exclude.pk:
        people = people.exclude(pk=exclude.pk)
    return list(
        people.annotate(similarity=TrigramSimilarity("full_name", full_name))
        .filter(similarity__gte=0.3)
        .order_by("-similarity", "pk")[:limit]
    )


PERSON_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "village",
    "phone",
    "education",
    "occupation",
    "village_role",
    "disability",
)


@transaction.atomic
def person_save(*, person=None, nik="", **fields):
    """Create a person, or change `person` (the version it was read at is checked on save).

    `nik` may be empty (registered without it at hand); when given it is checked (structure, and
    against sex and birth date), encrypted, hashed and masked. A NIK already registered to someone
    else is refused, naming no one (the caller offers that person instead: `find_by_nik`).
    """
    person = person or Person()
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name] if fields[name] is not None else "")
    digits = niks.normalise(nik)
    if digits:
        check_nik(digits, sex=person.sex, birth_date=person.birth_date)
        digest = niks.nik_hash(digits)
        if Person.objects.filter(nik_hash=digest).exclude(pk=person.pk).exists():
            raise ValidationError(
                {"nik": _("NIK ini sudah tercatat untuk orang lain; pilih orang tersebut alih-alih mendaftar baru.")},
                code="nik_taken",
            )
        person.nik, person.nik_hash, person.nik_masked = digits, digest, niks.mask(digits)
    elif person.pk is None:
        person.nik, person.nik_hash, person.nik_masked = None, None, ""
    person.full_clean(exclude=["nik", "nik_hash", "nik_masked"])
    person.save()
    return person


# --- Enrolment ------------------------------------------------------------------------------------------


def _locked_batch(batch):
    return Batch.objects.select_for_update().get(pk=batch.pk)


def places_taken(batch):
    return batch.enrolments.filter(status__in=HOLDING_PLACE).count()


@transaction.atomic
def enrol(*, batch, person, at=None):
    """Enrol `person` in `batch`: a place while the quota lasts, else the waiting list.

    Refused when the batch no longer takes registrations, or the person is already in it.
    """
    batch = _locked_batch(batch)
    if batch.status not in (BatchStatus.PLANNED, BatchStatus.REGISTRATION, BatchStatus.RUNNING):
        raise ValidationError(
            _("Angkatan berstatus “%(status)s” tidak menerima pendaftaran.") % {"status": batch.get_status_display()},
            code="batch_closed",
        )
    existing = Enrolment.objects.filter(batch=batch, person=person).first()
    if existing is not None:
        raise ValidationError(
            _("%(name)s sudah terdaftar di angkatan ini (%(status)s).")
            % {"name": person.full_name, "status": existing.get_status_display()},
            code="enrolled",
        )
    status = EnrolmentStatus.REGISTERED if places_taken(batch) < batch.quota else EnrolmentStatus.WAITING
    return Enrolment.objects.create(batch=batch, person=person, status=status, registered_at=at or timezone.now())


def promote_waiting(batch):
    """Fill free places from the waiting list, first come first served; returns those promoted."""
    free = batch.quota - places_taken(batch)
    if free <= 0:
        return []
    promoted = list(batch.enrolments.filter(status=EnrolmentStatus.WAITING).order_by("registered_at", "pk")[:free])
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.REGISTERED
        enrolment.save(update_fields=["status"])
    return promoted


ENROLMENT_TRANSITIONS = {
    EnrolmentStatus.REGISTERED: {EnrolmentStatus.CONFIRMED, EnrolmentStatus.WITHDRAWN},
    EnrolmentStatus.WAITING: {EnrolmentStatus.WITHDRAWN},
    EnrolmentStatus.CONFIRMED: {EnrolmentStatus.WITHDRAWN},
    EnrolmentStatus.WITHDRAWN: set(),
    EnrolmentStatus.COMPLETED: set(),
    EnrolmentStatus.NOT_COMPLETED: set(),
}


@transaction.atomic
def enrolment_set_status(*, enrolment, status, reason=""):
    """Confirm or withdraw an enrolment (completed / not completed come from `close_batch`).

    A withdrawal frees a place, which goes to the first on the waiting list.
    """
    _locked_batch(enrolment.batch)
    current, target = EnrolmentStatus(enrolment.status), EnrolmentStatus(status)
    if target not in ENROLMENT_TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": _("Status “%(current)s” tidak dapat diubah menjadi “%(target)s”.")
                % {"current": current.label, "target": target.label}
            }
        )
    if target == EnrolmentStatus.WITHDRAWN and not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan peserta mengundurkan diri.")})
    enrolment.status = target
    enrolment.withdrawn_reason = reason.strip() if target == EnrolmentStatus.WITHDRAWN else ""
    enrolment.save(update_fields=["status", "withdrawn_reason"])
    if target == EnrolmentStatus.WITHDRAWN:
        promote_waiting(enrolment.batch)
    return enrolment


# --- The completion rule --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """Whether an enrolment meets its programme's rule, with the reasons it does not."""

    met: bool
    attendance_pct: Decimal | None
    reasons: tuple

    @property
    def reason(self):
        return "; ".join(self.reasons) if self.reasons else _("Memenuhi semua syarat kelulusan.")


def attendance_percentages(batch):
    """{enrolment id: % of the batch's hours (JP) attended, present or late}, in one query."""
    total = batch.sessions.aggregate(total=Sum("hours_jp"))["total"] or Decimal(0)
    attended = (
        Attendance.objects.filter(session__batch=batch, mark__in=ATTENDED)
        .values("enrolment_id")
        .annotate(hours=Sum("session__hours_jp"))
    )
    hours = {row["enrolment_id"]: row["hours"] for row in attended}
    if not total:
        return {}, total
    return {
        pk: (hours.get(pk, Decimal(0)) * 100 / total).quantize(Decimal("0.1"))
        for pk in batch.enrolments.values_list("pk", flat=True)
    }, total


def outcome(enrolment, programme, attendance_pct):
    """Apply the programme's rule to one enrolment: attendance, post-test, practical."""
    reasons = []
    if attendance_pct is None:
        reasons.append(_("Belum ada sesi dengan jam pelajaran."))
    elif attendance_pct < programme.min_attendance_pct:
        reasons.append(
            _("Kehadiran %(pct)s%% di bawah minimal %(min)s%%.")
            % {"pct": attendance_pct, "min": programme.min_attendance_pct}
        )
    if programme.min_post_test is not None:
        if enrolment.post_test is None:
            reasons.append(_("Nilai post-test belum diisi."))
        elif enrolment.post_test < programme.min_post_test:
            reasons.append(
                _("Nilai post-test %(score)s di bawah minimal %(min)s.")
                % {"score": f"{enrolment.post_test.normalize():f}", "min": programme.min_post_test}
            )
    if programme.requires_practical:
        if enrolment.practical is None:
            reasons.append(_("Nilai praktik belum diisi."))
        elif enrolment.practical < (programme.min_practical or 0):
            reasons.append(
                _("Nilai praktik %(score)s di bawah minimal %(min)s.")
                % {"score": f"{enrolment.practical.normalize():f}", "min": programme.min_practical}
            )
    return Outcome(not reasons, attendance_pct, tuple(reasons))


def outcomes(batch):
    """{enrolment id: Outcome} for every participant holding a place (withdrawn and waiting excluded)."""
    percentages, total = attendance_percentages(batch)
    enrolments = batch.enrolments.filter(status__in=HOLDING_PLACE)
    return {e.pk: outcome(e, batch.programme, percentages.get(e.pk) if total else None) for e in enrolments}


# --- A batch's lifecycle --------------------------------------------------------------------------------

BATCH_TRANSITIONS = {
    BatchStatus.PLANNED: {BatchStatus.REGISTRATION, BatchStatus.CANCELLED},
    BatchStatus.REGISTRATION: {BatchStatus.RUNNING, BatchStatus.CANCELLED},
    BatchStatus.RUNNING: {BatchStatus.CLOSED, BatchStatus.CANCELLED},
    BatchStatus.CLOSED: set(),
    BatchStatus.CANCELLED: set(),
}

# The follow-ups planned for each participant who completed: about 1 month, and 4 months (within 3–6).
FOLLOW_UP_MONTHS = {FollowUpWave.FIRST: 1, FollowUpWave.SECOND: 4}


def allowed_batch_statuses(batch):
    allowed = BATCH_TRANSITIONS[BatchStatus(batch.status)]
    return [status for status in BatchStatus if status in allowed]


@transaction.atomic
def batch_set_status(*, batch, status, reason="", today=None):
    """Move a batch along planned → registration open → running → closed, or cancel it (with a reason).

    Closing decides every participant's result by the programme's rule (with the reason) and plans
    their follow-ups; a batch with no session cannot run, nor close.
    """
    current_version = Batch.objects.select_for_update().filter(pk=batch.pk).values_list("version", flat=True).first()
    if current_version != batch.version:
        raise StaleRecordError(StaleRecordError.message)
    current, target = BatchStatus(batch.status), BatchStatus(status)
    if target not in BATCH_TRANSITIONS[current]:
        allowed = ", ".join(str(s.label) for s in allowed_batch_statuses(batch)) or _("tidak ada")
        raise ValidationError(
            {
                "status": _(
                    "Status “%(current)s” tidak dapat diubah menjadi “%(target)s”. Langkah yang diizinkan: %(allowed)s."
                )
                % {"current": current.label, "target": target.label, "allowed": allowed}
            }
        )
    if target == BatchStatus.CANCELLED and not reason.strip():
        raise ValidationError({"reason": _("Pembatalan harus disertai alasan.")})
    if target in (BatchStatus.RUNNING, BatchStatus.CLOSED) and not batch.sessions.exists():
        raise ValidationError({"status": _("Tambahkan jadwal sesi lebih dahulu.")})
    if target == BatchStatus.CLOSED:
        close_results(batch)
    batch.status = target
    batch.cancel_reason = reason.strip() if target == BatchStatus.CANCELLED else ""
    batch.save(update_fields=["status", "cancel_reason"])
    return batch


def close_results(batch):
    """Record each participant's result and its reason, and plan the completed ones' follow-ups."""
    results = outcomes(batch)
    enrolments = list(batch.enrolments.select_for_update().filter(pk__in=results))
    for enrolment in enrolments:
        result = results[enrolment.pk]
        enrolment.status = EnrolmentStatus.COMPLETED if result.met else EnrolmentStatus.NOT_COMPLETED
        enrolment.result_reason = result.reason[:300]
        enrolment.version += 1  # an open scores form of one of them is now stale
    # One UPDATE for the batch (the history triggers record each row's change).
    Enrolment.objects.bulk_update(enrolments, ["status", "result_reason", "version"])
    plan_follow_ups(batch, [e for e in enrolments if e.status == EnrolmentStatus.COMPLETED])
    return results


def plan_follow_ups(batch, enrolments):
    """Follow-ups at about 1 and 4 months after the batch ends, for each completed participant."""
    FollowUp.objects.bulk_create(
        [
            FollowUp(enrolment=enrolment, wave=wave, due_on=add_months(batch.ends_on, months))
            for enrolment in enrolments
            for wave, months in FOLLOW_UP_MONTHS.items()
        ],
        ignore_conflicts=True,
    )


def batch_counts(batches):
    """Participants holding a place and waiting, per batch id (one query)."""
    rows = (
        Enrolment.objects.filter(batch__in=batches)
        .values("batch_id")
        .annotate(
            places=Count("pk", filter=Q(status__in=HOLDING_PLACE)),
            waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITING)),
        )
    )
    return {row["batch_id"]: row for row in rows}
