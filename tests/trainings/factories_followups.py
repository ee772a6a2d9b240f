"""Closed batches with planned follow-ups, and answers to them, for the follow-up and results tests."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.trainings.factories import BARITO_KUALA_VILLAGE, enrol, make_batch, make_person, mark_all
from trainings import services
from trainings.followups import followup_record
from trainings.models import BatchStatus, FollowUpMethod, Reaction

# A batch ending on 7 May 2024: its follow-ups are due on 7 June 2024 (wave 1) and 7 September 2024 (wave 2).
STARTS_ON = datetime.date(2024, 5, 6)


def closed_batch(*, venue="63.04", people=2, villages=None, pre=Decimal(40), post=Decimal(70), **batch_fields):
    """A batch of two 3-JP sessions, everyone present with the given scores, closed: every participant
    completed and has two follow-ups planned. `villages` gives each participant's village (a code)."""
    batch = make_batch(venue=venue, sessions=2, status=BatchStatus.RUNNING, **{"starts_on": STARTS_ON, **batch_fields})
    villages = villages or [BARITO_KUALA_VILLAGE if venue.startswith("63") else "11.01.01.2001"] * people
    for code in villages:
        enrol(batch, make_person(village_code=code, phone="0812 5555 0101"))
    mark_all(batch)
    batch.enrolments.update(pre_test=pre, post_test=post)
    services.batch_set_status(batch=batch, status=BatchStatus.CLOSED)
    batch.refresh_from_db()
    return batch


def answer(follow_up, user=None, **fields):
    """Record a follow-up as reached and applied, unless `fields` says otherwise."""
    follow_up.refresh_from_db()
    data = {
        "done_on": follow_up.due_on,
        "method": FollowUpMethod.PHONE,
        "reached": True,
        "applied": "ya",
        "what_applied": "Pembukuan BUMDes",
        "today": timezone.localdate(),
        **fields,
    }
    if not data["reached"]:
        data.pop("applied")
    return followup_record(follow_up=follow_up, user=user, **data)


def react(enrolment, content=4, trainer=4, venue=4, usefulness=4):
    return Reaction.objects.create(
        enrolment=enrolment, content=content, trainer=trainer, venue=venue, usefulness=usefulness
    )
