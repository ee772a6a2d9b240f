"""The trainings' figures on the home page (see percontohan.registry): batches running, people
trained and follow-ups due, in the user's scope."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from percontohan.records import Prepared
from percontohan.registry import HomeStat
from percontohan.scoping import read_scope
from trainings.models import Batch, BatchStatus, FollowUp, Person

# Built and compiled once per process (percontohan.records.Prepared), for a scope and today's date.
RUNNING = Prepared(lambda codes: Batch.objects.within(codes).filter(status=BatchStatus.RUNNING).values("pk"))
PEOPLE = Prepared(lambda codes: Person.objects.within(codes).values("pk"))
DUE = Prepared(lambda codes, today: FollowUp.objects.within(codes).due(today).values("pk"))


def home(request):
    codes = read_scope(request.user)
    return [
        HomeStat(
            70,
            _("Angkatan pelatihan berjalan"),
            RUNNING.sql(codes),
            reverse("trainings:batch_list") + f"?status={BatchStatus.RUNNING}",
        ),
        HomeStat(72, _("Peserta pelatihan"), PEOPLE.sql(codes), reverse("trainings:person_list")),
        HomeStat(
            74, _("Tindak lanjut jatuh tempo"), DUE.sql(codes, timezone.localdate()), reverse("trainings:followup_list")
        ),
    ]
