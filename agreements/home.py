"""The agreements' part of the home page: agreements about to expire and overdue commitments in the
user's scope (see percontohan.registry)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from agreements.models import Agreement, Commitment
from percontohan.records import Prepared
from percontohan.registry import HomeSection
from percontohan.scoping import read_scope

# The home page shows the first few; the lists show them all.
HOME_REMINDER_ROWS = 10


# Built and compiled once per process (percontohan.records.Prepared), for a scope and today's dates.
EXPIRING = Prepared(
    lambda codes, today, until: (
        Agreement.objects.within(codes)
        .expiring_between(today, until)
        .order_by("effective_to", "pk")[: HOME_REMINDER_ROWS + 1]
    )
)
OVERDUE = Prepared(
    lambda codes, today: (
        Commitment.objects.within(codes)
        .overdue(today)
        .select_related("agreement", "party__organisation")
        .order_by("due_date", "pk")[: HOME_REMINDER_ROWS + 1]
    )
)


def home(request):
    """Two queries however many reminders there are."""
    user = request.user
    codes = read_scope(user)
    today = timezone.localdate()
    expiring = EXPIRING(codes, today, today + timedelta(days=settings.AGREEMENT_EXPIRY_WARNING_DAYS))
    overdue = OVERDUE(codes, today)
    context = {
        "expiry_warning_days": settings.AGREEMENT_EXPIRY_WARNING_DAYS,
        "expiring_agreements": expiring[:HOME_REMINDER_ROWS],
        "expiring_more": len(expiring) > HOME_REMINDER_ROWS,
        "overdue_commitments": overdue[:HOME_REMINDER_ROWS],
        "overdue_more": len(overdue) > HOME_REMINDER_ROWS,
    }
    return [HomeSection(10, "agreements/home_reminders.html", context)]
