"""The trainings' figures on the home page (see percontohan.registry): batches running, people
trained and follow-ups due, in the user's scope."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from percontohan.registry import HomeStat
from trainings.models import Batch, BatchStatus, FollowUp, Person


def home(request):
    user = request.user
    running = Batch.objects.visible_to(user).filter(status=BatchStatus.RUNNING)
    return [
        HomeStat(
            70,
            _("Angkatan pelatihan berjalan"),
            running,
            reverse("trainings:batch_list") + f"?status={BatchStatus.RUNNING}",
        ),
        HomeStat(72, _("Peserta pelatihan"), Person.objects.visible_to(user), reverse("trainings:person_list")),
        HomeStat(
            74,
            _("Tindak lanjut jatuh tempo"),
            FollowUp.objects.visible_to(user).due(),
            reverse("trainings:followup_list"),
        ),
    ]
