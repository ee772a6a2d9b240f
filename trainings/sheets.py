"""The attendance sheet, the scores sheet and the reaction form: saving one cell at a time.

Each write checks the version the cell was read at, so a mark or a score someone changed meanwhile is
never overwritten: an attendance cell carries its Attendance's version (0 for a cell not recorded yet),
a score cell its Enrolment's. History is kept by the models' triggers. Every function raises
StaleRecordError or ValidationError and changes nothing when it refuses.

When the sheets may be changed: while registration is open (the pre-test and the first day's
attendance often come before anyone moves the batch to "running") and while the batch runs. A
planned batch has not started; a closed one has had its results decided from these very marks
and scores; a cancelled one is history. The reaction form (Kirkpatrick level 1) is filled in at the
end of the training, so it stays open once the batch is closed.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from percontohan.history import StaleRecordError
from trainings.models import HOLDING_PLACE, Attendance, AttendanceMark, BatchStatus, Enrolment, Reaction

SHEETS_OPEN = (BatchStatus.REGISTRATION, BatchStatus.RUNNING)
REACTIONS_OPEN = (BatchStatus.RUNNING, BatchStatus.CLOSED)

# The score columns of the scores sheet, by the name they have in URLs.
SCORE_FIELDS = {"pre-test": "pre_test", "post-test": "post_test", "praktik": "practical"}

SHEET_CLOSED = {
    BatchStatus.PLANNED: gettext_lazy(
        "Angkatan ini masih direncanakan: kehadiran dan nilai diisi setelah pendaftaran dibuka."
    ),
    BatchStatus.CLOSED: gettext_lazy(
        "Angkatan ini sudah selesai dan hasil peserta sudah ditetapkan dari lembar ini, sehingga lembar ini "
        "hanya dapat dibaca."
    ),
    BatchStatus.CANCELLED: gettext_lazy("Angkatan ini dibatalkan: lembar ini hanya dapat dibaca."),
}

REACTION_CLOSED = gettext_lazy(
    "Tanggapan peserta diisi ketika pelatihan berjalan atau sesudah selesai, tidak pada angkatan berstatus "
    "“%(status)s”."
)


def sheet_closed_reason(batch):
    """Why the batch's attendance and scores may not be changed now, or None when they may."""
    return None if batch.status in SHEETS_OPEN else SHEET_CLOSED[BatchStatus(batch.status)]


def reaction_closed_reason(batch):
    """Why reactions may not be recorded for the batch now, or None when they may."""
    if batch.status in REACTIONS_OPEN:
        return None
    return REACTION_CLOSED % {"status": batch.get_status_display()}


def _check_open(enrolment, closed_reason):
    reason = closed_reason(enrolment.batch)
    if reason is not None:
        raise ValidationError(reason, code="sheet_closed")
    if enrolment.status not in HOLDING_PLACE:
        raise ValidationError(
            _("%(name)s tidak lagi memegang tempat di angkatan ini (%(status)s); muat ulang lembar.")
            % {"name": enrolment.person.full_name, "status": enrolment.get_status_display()},
            code="not_holding_place",
        )


# --- Attendance ---------------------------------------------------------------------------------------


@transaction.atomic
def attendance_save(*, enrolment, session, mark, version, user, at=None):
    """Record one participant's mark at one session, or clear it (`mark` empty).

    `version` is the version of the cell as it was read: its Attendance's, or 0 when it had none.
    Returns the Attendance as it is now (None once cleared). Who recorded it and when are kept.
    """
    if session.batch_id != enrolment.batch_id:
        raise ValidationError(_("Sesi ini bukan sesi angkatan peserta."), code="other_batch")
    _check_open(enrolment, sheet_closed_reason)
    if mark and mark not in AttendanceMark.values:
        raise ValidationError(_("Pilih salah satu: Hadir, Terlambat, Izin atau Tidak hadir."), code="invalid_mark")
    current = Attendance.objects.select_for_update().filter(enrolment=enrolment, session=session).first()
    if (current.version if current else 0) != version:
        raise StaleRecordError(StaleRecordError.message)
    if current is None:
        if not mark:
            return None
        try:
            with transaction.atomic():
                return Attendance.objects.create(
                    enrolment=enrolment, session=session, mark=mark, recorded_by=user, recorded_at=at or timezone.now()
                )
        except IntegrityError:
            # Someone recorded this cell at the same moment: theirs stands, ours is refused.
            raise StaleRecordError(StaleRecordError.message) from None
    if not mark:
        current.delete()
        return None
    if current.mark != mark:
        current.mark, current.recorded_by, current.recorded_at = mark, user, at or timezone.now()
        current.save(update_fields=["mark", "recorded_by", "recorded_at"])
    return current


def attendance_counts(sessions):
    """{session id: {mark: number}} of the participants holding a place (one query)."""
    counts = {session.pk: {} for session in sessions}
    rows = (
        Attendance.objects.filter(session__in=sessions, enrolment__status__in=HOLDING_PLACE)
        .values("session_id", "mark")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["session_id"]][row["mark"]] = row["n"]
    return counts


# --- Scores ---------------------------------------------------------------------------------------------


@transaction.atomic
def score_save(*, enrolment, field, value, version):
    """Set one score (pre-test, post-test or practical: 0–100 with up to two decimals, or None to clear it).

    `version` is the Enrolment's version when the row was read: a participant changed meanwhile
    (another score, their status) is refused.
    """
    if field not in SCORE_FIELDS.values():
        raise ValidationError(_("Kolom nilai ini tidak dikenal."), code="invalid_field")
    _check_open(enrolment, sheet_closed_reason)
    model_field = Enrolment._meta.get_field(field)
    value = model_field.clean(value, enrolment) if value is not None else None
    enrolment.version = version
    setattr(enrolment, field, value)
    enrolment.save(update_fields=[field])
    return enrolment


@dataclass(frozen=True)
class ScoreSummary:
    """Learning (Kirkpatrick level 2) of a batch: mean pre- and post-test, and the normalised gain
    ((post − pre) / (100 − pre), Hake) of the means of the participants who took both tests."""

    pre_count: int
    pre_mean: Decimal | None
    post_count: int
    post_mean: Decimal | None
    paired_count: int
    gain: Decimal | None


def _mean(values):
    return sum(values, Decimal(0)) / len(values) if values else None


def score_summary(enrolments):
    """The ScoreSummary of these enrolments (already loaded: no query)."""
    pre = [e.pre_test for e in enrolments if e.pre_test is not None]
    post = [e.post_test for e in enrolments if e.post_test is not None]
    paired = [(e.pre_test, e.post_test) for e in enrolments if e.pre_test is not None and e.post_test is not None]
    gain = None
    if paired:
        paired_pre, paired_post = _mean([p for p, _q in paired]), _mean([q for _p, q in paired])
        if paired_pre < 100:
            gain = ((paired_post - paired_pre) / (100 - paired_pre)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return ScoreSummary(
        pre_count=len(pre),
        pre_mean=_mean(pre).quantize(Decimal("0.1"), ROUND_HALF_UP) if pre else None,
        post_count=len(post),
        post_mean=_mean(post).quantize(Decimal("0.1"), ROUND_HALF_UP) if post else None,
        paired_count=len(paired),
        gain=gain,
    )


# --- Reactions ------------------------------------------------------------------------------------------

REACTION_FIELDS = ("content", "trainer", "venue", "usefulness", "comment")


@transaction.atomic
def reaction_save(*, enrolment, reaction=None, **fields):
    """Record or change a participant's reaction (content, trainer, venue, usefulness on 1–5, comment).

    A new reaction is refused when one was recorded meanwhile (the form was opened before it), a
    changed one when its version is not the one read.
    """
    _check_open(enrolment, reaction_closed_reason)
    reaction = reaction or Reaction(enrolment=enrolment)
    for name in REACTION_FIELDS:
        if name in fields:
            setattr(reaction, name, fields[name] if fields[name] is not None else "")
    reaction.full_clean(exclude=["enrolment"])
    if reaction.pk is None:
        try:
            with transaction.atomic():
                reaction.save()
        except IntegrityError:
            raise StaleRecordError(StaleRecordError.message) from None
    else:
        reaction.save()
    return reaction
