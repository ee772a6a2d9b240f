"""Follow-up of what participants applied (Kirkpatrick levels 3–4): where a follow-up stands on the
worklist, recording its answer, and adding evidence.

Follow-ups are planned when a batch closes (services.close_results / plan_follow_ups: about 1 month
and 4 months after its end, for each participant who completed). Whoever may see a follow-up must
also see its participant: a batch held in Barito Kuala may train someone from another regency, whose
name an official of Barito Kuala never sees (`with_people_visible_to`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.documents import _save_with_file, check_upload
from trainings.models import Applied, FollowUp, FollowUpEvidence, Person

# A follow-up still not done a month after its date is late: the first wave is "about one month"
# after the training, and the second (planned at 4 months) must be done within 3–6 months.
OVERDUE_AFTER_DAYS = 30


class FollowUpState(models.TextChoices):
    """Where a follow-up stands on the worklist (each follow-up is in exactly one)."""

    DUE = "jatuh_tempo", gettext_lazy("Jatuh tempo")
    OVERDUE = "terlambat", gettext_lazy("Terlambat")
    UPCOMING = "akan_datang", gettext_lazy("Akan datang")
    DONE = "selesai", gettext_lazy("Selesai")


STATE_BADGES = {
    FollowUpState.DUE: "text-bg-warning",
    FollowUpState.OVERDUE: "text-bg-danger",
    FollowUpState.UPCOMING: "text-bg-secondary",
    FollowUpState.DONE: "text-bg-success",
}


def overdue_before(today=None):
    """Follow-ups due before this date and not done are late."""
    return (today or timezone.localdate()) - datetime.timedelta(days=OVERDUE_AFTER_DAYS)


def state_q(state, today=None):
    """The filter of the follow-ups in `state` on `today`."""
    today = today or timezone.localdate()
    open_ = Q(done_on__isnull=True)
    return {
        FollowUpState.DONE: Q(done_on__isnull=False),
        FollowUpState.UPCOMING: open_ & Q(due_on__gt=today),
        FollowUpState.DUE: open_ & Q(due_on__lte=today, due_on__gte=overdue_before(today)),
        FollowUpState.OVERDUE: open_ & Q(due_on__lt=overdue_before(today)),
    }[FollowUpState(state)]


def to_do_q(today=None):
    """The worklist's default: follow-ups whose date has come and that are not done (due or late)."""
    return Q(done_on__isnull=True, due_on__lte=today or timezone.localdate())


def state_of(follow_up, today=None):
    """The state of one follow-up (the same rule as `state_q`)."""
    today = today or timezone.localdate()
    if follow_up.done_on is not None:
        return FollowUpState.DONE
    if follow_up.due_on > today:
        return FollowUpState.UPCOMING
    if follow_up.due_on < overdue_before(today):
        return FollowUpState.OVERDUE
    return FollowUpState.DUE


def days_late(follow_up, today=None):
    """Days since the due date of a follow-up not done yet (0 when not due, or done)."""
    if follow_up.done_on is not None:
        return 0
    return max(((today or timezone.localdate()) - follow_up.due_on).days, 0)


def with_people_visible_to(queryset, user, lookup="person"):
    """Rows (already scoped by their batch) whose participant `user` may see as well: a person is seen
    through the regency of their village, so nobody outside the user's scope is listed or counted."""
    if user is not None and user.is_authenticated and user.scope_regency_codes is None:
        return queryset  # a national scope sees everyone: no need to ask
    return queryset.filter(**{f"{lookup}__in": Person.objects.visible_to(user).values("pk")})


def followups_visible_to(user):
    """The follow-ups `user` may see: of a batch they see, for a participant they see."""
    return with_people_visible_to(FollowUp.objects.visible_to(user), user, "enrolment__person")


# --- Recording the answer -------------------------------------------------------------------------------


@transaction.atomic
def followup_record(
    *,
    follow_up,
    user,
    done_on,
    method,
    reached=True,
    applied="",
    what_applied="",
    business_started=False,
    business_type="",
    income_before=None,
    income_after=None,
    village_result_kind="",
    village_result="",
    today=None,
):
    """Record (or correct) what a follow-up found, as of the version the caller read.

    A participant who could not be reached counts as a non-response: only how and when they were
    sought is kept, the answers are cleared. Every refusal is raised at once, by field; nothing is saved.
    """
    today = today or timezone.localdate()
    text = {
        "what_applied": (what_applied or "").strip(),
        "business_type": (business_type or "").strip(),
        "village_result": (village_result or "").strip(),
    }
    errors = {}
    if not method:
        errors["method"] = _("Pilih cara tindak lanjut dilakukan.")
    if done_on is None:
        errors["done_on"] = _("Isi tanggal tindak lanjut dilakukan.")
    elif done_on > today:
        errors["done_on"] = _("Tanggal tindak lanjut tidak boleh di masa depan.")
    elif done_on < follow_up.enrolment.batch.ends_on:
        errors["done_on"] = _("Tanggal tindak lanjut tidak boleh sebelum pelatihan selesai (%(date)s).") % {
            "date": date_format(follow_up.enrolment.batch.ends_on)
        }
    if reached:
        if not applied:
            errors["applied"] = _("Pilih apakah peserta menerapkan hasil pelatihan.")
        elif applied != Applied.NO and not text["what_applied"]:
            errors["what_applied"] = _("Tuliskan apa yang diterapkan peserta.")
        if business_started and not text["business_type"]:
            errors["business_type"] = _("Tuliskan jenis usaha yang dimulai.")
        if village_result_kind and not text["village_result"]:
            errors["village_result"] = _("Uraikan hasil di tingkat desa.")
        if text["village_result"] and not village_result_kind:
            errors["village_result_kind"] = _("Pilih jenis hasil di tingkat desa.")
    if errors:
        raise ValidationError(errors)

    follow_up.done_on, follow_up.method, follow_up.reached = done_on, method, bool(reached)
    follow_up.recorded_by = user
    if reached:
        follow_up.applied = applied
        follow_up.what_applied = text["what_applied"] if applied != Applied.NO else ""
        follow_up.business_started = bool(business_started)
        follow_up.business_type = text["business_type"] if business_started else ""
        follow_up.income_before, follow_up.income_after = income_before, income_after
        follow_up.village_result_kind = village_result_kind or ""
        follow_up.village_result = text["village_result"] if village_result_kind else ""
    else:
        follow_up.applied, follow_up.what_applied = "", ""
        follow_up.business_started, follow_up.business_type = False, ""
        follow_up.income_before = follow_up.income_after = None
        follow_up.village_result_kind, follow_up.village_result = "", ""
    follow_up.full_clean(exclude=["recorded_by"])
    follow_up.save()
    return follow_up


@transaction.atomic
def followup_add_evidence(*, follow_up, upload, user, at=None):
    """Keep a photo or document of what was applied: checked by its content, stored privately under a
    generated name (agreements.documents, as commitment evidence)."""
    if upload is None:
        raise ValidationError({"file": _("Pilih berkas bukti yang akan diunggah.")})
    checked = check_upload(upload)
    evidence = FollowUpEvidence(
        follow_up=follow_up,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
        uploaded_at=at or timezone.now(),
    )
    return _save_with_file(evidence, upload, checked)
