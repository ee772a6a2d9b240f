"""Daily reminders: agreements about to expire and commitments past their due date.

`reminders_collect` decides what to remind and whom; `reminders_send` turns that
into in-app notifications (one per user and thing, made idempotent by the
notification's `key`) and one e-mail digest per user with whatever has not been
e-mailed yet. Running either twice on the same day changes nothing.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.models import Agreement, Commitment
from percontohan.models import Notification, User
from percontohan.roles import EDITOR_ROLES

logger = logging.getLogger(__name__)

AGREEMENT_EXPIRING = "agreement-expiring"
COMMITMENT_OVERDUE = "commitment-overdue"
REMINDER_KINDS = (AGREEMENT_EXPIRING, COMMITMENT_OVERDUE)


@dataclass
class Reminder:
    """One thing to remind, with the users responsible for it."""

    kind: str
    key: str
    message: str
    url: str
    recipients: list = field(default_factory=list)


def _editors():
    """Admins and BLM staff (and superusers): they keep the data, so they are reminded within their scope."""
    return User.objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(role__in=EDITOR_ROLES))


def _visible_ids(users, agreement_ids):
    """For each user, which of these agreements they may see — through the one scoping mechanism."""
    return {
        user.pk: set(Agreement.objects.visible_to(user).filter(pk__in=agreement_ids).values_list("pk", flat=True))
        for user in users
    }


def _days_left(agreement, today):
    days = (agreement.effective_to - today).days
    if days == 0:
        return _("hari ini")
    return ngettext("%(days)d hari lagi", "%(days)d hari lagi", days) % {"days": days}


def _agreement_message(agreement, today):
    return _("Perjanjian %(number)s “%(title)s” berakhir pada %(date)s (%(left)s).") % {
        "number": agreement.number,
        "title": Truncator(agreement.title).chars(200),
        "date": date_format(agreement.effective_to),
        "left": _days_left(agreement, today),
    }


def _commitment_message(commitment):
    return _("Komitmen “%(description)s” (%(party)s) pada perjanjian %(number)s melewati tenggat %(date)s.") % {
        "description": Truncator(commitment.description).chars(160),
        "party": commitment.party.organisation.short_name or commitment.party.organisation.name,
        "number": commitment.agreement.number,
        "date": date_format(commitment.due_date),
    }


def reminders_collect(*, today=None):
    """What needs a reminder today and who is responsible for each item.

    An expiring agreement (within settings.AGREEMENT_EXPIRY_WARNING_DAYS) goes to the active users of
    its parties' organisations and to the editors whose scope covers it; an overdue commitment to the
    active users of the responsible party's organisation and to those editors. Nobody is reminded of
    an agreement they may not open (the link would be a 404, and the e-mail would leak it).
    """
    today = today or timezone.localdate()
    agreements = list(
        Agreement.objects.expiring_within(settings.AGREEMENT_EXPIRY_WARNING_DAYS, today=today)
        .prefetch_related("parties")
        .order_by("effective_to", "pk")
    )
    commitments = list(
        Commitment.objects.overdue(today=today)
        .select_related("agreement", "party__organisation")
        .order_by("due_date", "pk")
    )
    agreement_ids = {a.pk for a in agreements} | {c.agreement_id for c in commitments}
    if not agreement_ids:
        return []

    organisation_ids = {p.organisation_id for a in agreements for p in a.parties.all()}
    organisation_ids |= {c.party.organisation_id for c in commitments}
    editors = list(_editors())
    members = list(User.objects.filter(is_active=True, organisation_id__in=organisation_ids))
    candidates = {user.pk: user for user in [*editors, *members]}
    visible = _visible_ids(candidates.values(), agreement_ids)
    by_organisation = {}
    for user in members:
        by_organisation.setdefault(user.organisation_id, []).append(user)

    def recipients(agreement_id, organisations):
        chosen = {u.pk: u for org in organisations for u in by_organisation.get(org, [])}
        chosen.update({u.pk: u for u in editors})
        return sorted((u for u in chosen.values() if agreement_id in visible[u.pk]), key=lambda u: u.pk)

    reminders = []
    with translation.override(settings.LANGUAGE_CODE):
        for agreement in agreements:
            reminders.append(
                Reminder(
                    kind=AGREEMENT_EXPIRING,
                    key=f"{AGREEMENT_EXPIRING}:{agreement.pk}:{agreement.effective_to.isoformat()}",
                    message=_agreement_message(agreement, today),
                    url=agreement.get_absolute_url(),
                    recipients=recipients(agreement.pk, {p.organisation_id for p in agreement.parties.all()}),
                )
            )
        for commitment in commitments:
            reminders.append(
                Reminder(
                    kind=COMMITMENT_OVERDUE,
                    key=f"{COMMITMENT_OVERDUE}:{commitment.pk}:{commitment.due_date.isoformat()}",
                    message=_commitment_message(commitment),
                    url=commitment.get_absolute_url(),
                    recipients=recipients(commitment.agreement_id, {commitment.party.organisation_id}),
                )
            )
    return reminders


def reminders_notify(*, reminders):
    """Create the in-app notifications that do not exist yet; returns how many were created."""
    rows = [
        Notification(user=user, kind=r.kind, key=r.key, message=r.message[:500], url=r.url)
        for r in reminders
        for user in r.recipients
    ]
    if not rows:
        return 0
    existing = set(Notification.objects.filter(key__in={r.key for r in reminders}).values_list("user_id", "key"))
    new = [row for row in rows if (row.user_id, row.key) not in existing]
    # ignore_conflicts: a concurrent run that created the same (user, key) meanwhile is not an error.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def site_url(path=""):
    """An absolute link for e-mails (there is no request to build it from)."""
    return settings.SITE_URL.rstrip("/") + path


def _digest_subject(notifications):
    expiring = sum(n.kind == AGREEMENT_EXPIRING for n in notifications)
    overdue = sum(n.kind == COMMITMENT_OVERDUE for n in notifications)
    parts = []
    if expiring:
        parts.append(
            ngettext("%(n)d perjanjian akan berakhir", "%(n)d perjanjian akan berakhir", expiring) % {"n": expiring}
        )
    if overdue:
        parts.append(ngettext("%(n)d komitmen terlambat", "%(n)d komitmen terlambat", overdue) % {"n": overdue})
    return _("[Portal Desa Percontohan] Pengingat: %(items)s") % {"items": ", ".join(parts)}


def reminder_digest_send(*, user):
    """E-mail one user the reminders not e-mailed yet, in one message; returns whether one was sent.

    The rows are locked while sending (a parallel run skips them), and marked e-mailed only once the
    message went out, so nothing is e-mailed twice and a failed send is retried the next day.
    """
    if not user.email:
        return False
    with transaction.atomic():
        notifications = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(user=user, kind__in=REMINDER_KINDS, emailed_at__isnull=True, read_at__isnull=True)
            .order_by("kind", "created_at", "pk")
        )
        if not notifications:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "expiring": [n for n in notifications if n.kind == AGREEMENT_EXPIRING],
                "overdue": [n for n in notifications if n.kind == COMMITMENT_OVERDUE],
                "site_url": site_url(),
                "notifications_url": site_url(reverse("notifications")),
            }
            body = render_to_string("percontohan/notification_digest.txt", context)
            subject = _digest_subject(notifications)
        EmailMessage(subject, body, None, [user.email]).send()
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
    return True


def reminders_send(*, today=None):
    """Notify everyone responsible (idempotent) and e-mail each of them one digest of what is new.

    Returns a summary: notifications created and e-mails sent. A failing mailbox does not stop the
    others; its reminders stay un-e-mailed and go out with the next run.
    """
    reminders = reminders_collect(today=today)
    with transaction.atomic():
        created = reminders_notify(reminders=reminders)
    users = (
        User.objects.exclude(email="")
        .filter(
            is_active=True,
            notifications__kind__in=REMINDER_KINDS,
            notifications__emailed_at__isnull=True,
            notifications__read_at__isnull=True,
        )
        .distinct()
    )
    sent = failed = 0
    for user in users:
        try:
            sent += reminder_digest_send(user=user)
        except Exception:
            failed += 1
            logger.exception("Reminder digest to user %s failed", user.pk)
    return {"reminders": len(reminders), "notifications": created, "emails": sent, "failed": failed}
