"""The trainings' links in the navigation bar (see percontohan.registry)."""

from django.utils.translation import gettext_lazy as _

from percontohan.registry import MenuItem

ITEMS = (
    MenuItem(
        150,
        _("Pelatihan"),
        "trainings:batch_list",
        (
            "trainings:batch_",
            "trainings:programme_",
            "trainings:session_",
            "trainings:attendance",
            "trainings:scores",
            "trainings:certificate",
            "trainings:reaction",
            "trainings:enrolment_",
            "trainings:participant_",
        ),
        more=True,
    ),
    MenuItem(152, _("Peserta pelatihan"), "trainings:person_list", ("trainings:person_",), more=True),
    MenuItem(154, _("Tindak lanjut"), "trainings:followup_list", ("trainings:followup_",), more=True),
    MenuItem(156, _("Hasil pelatihan"), "trainings:results", ("trainings:results",), more=True),
    MenuItem(158, _("Pelatih"), "trainings:trainer_list", ("trainings:trainer_",), more=True),
)
