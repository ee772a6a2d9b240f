"""A closed batch whose participants passed or failed by the programme's rule, ready for its certificates."""

from decimal import Decimal

from tests.trainings.factories import ACEH_SELATAN_VILLAGE, BARITO_KUALA_VILLAGE, enrol, make_batch, mark_all
from trainings import services
from trainings.models import BatchStatus, Enrolment


def closed_batch(*, venue="63.04", passed=2, failed=0, names=(), **fields):
    """A batch held in `venue` (a regency code), run with two sessions everyone attended and closed: the
    first `passed` participants scored 80 on the post-test (completed), the next `failed` scored 20.
    `names` are the participants' full names, in order (generated when not given)."""
    batch = make_batch(venue=venue, sessions=2, status=BatchStatus.RUNNING, **fields)
    village_code = ACEH_SELATAN_VILLAGE if venue.startswith("11") else BARITO_KUALA_VILLAGE
    for index in range(passed + failed):
        extra = {"full_name": names[index]} if index < len(names) else {}
        enrol(batch, village_code=village_code, **extra)
    mark_all(batch)
    enrolments = list(batch.enrolments.order_by("pk"))
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments[:passed]]).update(post_test=Decimal(80))
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments[passed:]]).update(post_test=Decimal(20))
    services.batch_set_status(batch=batch, status=BatchStatus.CLOSED)
    batch.refresh_from_db()
    return batch
