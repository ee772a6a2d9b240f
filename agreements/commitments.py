"""Commitments of an agreement: saving them, moving them along (open → in progress → done) and
recording evidence.

"Done" needs a completion date and evidence. A recurring commitment (monthly,
quarterly, …) is never closed by "done": the evidence is recorded for the
period's due date and the due date moves on by the recurrence, until the next
one would fall after the agreement's end. Overdue is not a status that is
stored; it is computed from the due date (`Commitment.is_overdue`).
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.documents import evidence_add
from agreements.models import RECURRENCE_MONTHS, Commitment, CommitmentStatus, Recurrence
from percontohan.history import StaleRecordError

# Which status may follow which. A one-off task may be marked done straight away (evidence is still needed).
COMMITMENT_TRANSITIONS = {
    CommitmentStatus.OPEN: {CommitmentStatus.IN_PROGRESS, CommitmentStatus.DONE},
    CommitmentStatus.IN_PROGRESS: {CommitmentStatus.DONE},
    CommitmentStatus.DONE: set(),
}


def allowed_statuses(commitment):
    """The statuses the commitment may move to now, in lifecycle order."""
    allowed = COMMITMENT_TRANSITIONS[CommitmentStatus(commitment.status)]
    return [status for status in CommitmentStatus if status in allowed]


def add_months(day, months):
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due_date(commitment):
    """The due date of the period after the current one, for a recurring commitment (else None)."""
    if not commitment.recurrence or commitment.due_date is None:
        return None
    return add_months(commitment.due_date, RECURRENCE_MONTHS[Recurrence(commitment.recurrence)])


def _lock(commitment):
    """Lock the commitment's row and make sure the caller's copy is the current one."""
    current = Commitment.objects.select_for_update().filter(pk=commitment.pk).values_list("version", flat=True).first()
    if current != commitment.version:
        raise StaleRecordError(StaleRecordError.message)


@transaction.atomic
def commitment_save(
    *, agreement, party, description, due_date=None, recurrence=Recurrence.NONE, notes="", commitment=None
):
    """Create a commitment on an agreement, or change `commitment` (its version as read is checked).

    The responsible party must be a party to that agreement.
    """
    if commitment is None:
        commitment = Commitment(agreement=agreement)
    elif commitment.agreement_id != agreement.pk:
        raise ValidationError(_("Komitmen ini tercatat pada perjanjian lain."))
    commitment.party = party
    commitment.description = description
    commitment.due_date = due_date
    commitment.recurrence = recurrence or Recurrence.NONE
    commitment.notes = notes or ""
    commitment.full_clean()
    commitment.save()
    return commitment


@transaction.atomic
def commitment_add_evidence(*, commitment, note, upload=None, user):
    """Record evidence (a note and/or a file) for the commitment's current period.

    The row is locked so that a concurrent "done for this period" cannot move the due date in between.
    """
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    return evidence_add(commitment=locked, note=note, upload=upload, user=user)


@transaction.atomic
def commitment_set_status(
    *, commitment, status, user, completed_on=None, note="", upload=None, today=None, recorded_at=None
):
    """Move a commitment along its lifecycle; `note`/`upload`, when given, are recorded as evidence
    (at `recorded_at`, now unless it is recorded afterwards).

    Done needs a completion date (default today, not in the future) and at least one evidence for
    the current period. For a recurring commitment, done closes the current period: the due date
    moves on by the recurrence and the status is open again, unless the next due date would fall
    after the agreement's end, when the commitment is done for good.
    """
    _lock(commitment)
    today = today or timezone.localdate()
    current, target = CommitmentStatus(commitment.status), CommitmentStatus(status)
    if target not in COMMITMENT_TRANSITIONS[current]:
        allowed = ", ".join(str(s.label) for s in allowed_statuses(commitment)) or _("tidak ada")
        raise ValidationError(
            {
                "status": _(
                    "Status “%(current)s” tidak dapat diubah menjadi “%(target)s”. Langkah yang diizinkan: %(allowed)s."
                )
                % {"current": current.label, "target": target.label, "allowed": allowed}
            }
        )
    note = (note or "").strip()
    if target == CommitmentStatus.DONE:
        completed_on = completed_on or today
        if completed_on > today:
            raise ValidationError({"completed_on": _("Tanggal selesai tidak boleh di masa depan.")})
        recorded = commitment.evidence.all()
        if commitment.recurrence:
            recorded = recorded.filter(for_due_date=commitment.due_date)
        if not (note or upload is not None or recorded.exists()):
            raise ValidationError(
                {
                    "note": _(
                        "Komitmen hanya dapat dinyatakan selesai dengan bukti: tuliskan keterangan "
                        "atau lampirkan berkas bukti."
                    )
                }
            )
    if note or upload is not None:
        # Recorded before the due date moves: the evidence belongs to the period being closed.
        evidence_add(commitment=commitment, note=note, upload=upload, user=user, at=recorded_at)

    following = next_due_date(commitment) if target == CommitmentStatus.DONE else None
    agreement_end = commitment.agreement.effective_to
    if following is not None and (agreement_end is None or following <= agreement_end):
        commitment.due_date = following
        commitment.status = CommitmentStatus.OPEN
        commitment.completed_on = completed_on  # when the last period was fulfilled
    else:
        commitment.status = target
        if target == CommitmentStatus.DONE:
            commitment.completed_on = completed_on
    commitment.save(update_fields=["status", "due_date", "completed_on"])
    return commitment
