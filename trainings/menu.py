"""The trainings' links in the navigation bar (see percontohan.registry)."""

from django.utils.translation import gettext_lazy as _

from percontohan.registry import MenuItem

ITEMS = (
    MenuItem(
        70,
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
    ),
    MenuItem(72, _("Peserta pelatihan"), "trainings:person_list", ("trainings:person_",), more=True),
    MenuItem(74, _("Tindak lanjut"), "trainings:followup_list", ("trainings:followup_",), more=True),
    MenuItem(76, _("Hasil pelatihan"), "trainings:results", ("trainings:results",), more=True),
    MenuItem(78, _("Pelatih"), "trainings:trainer_list", ("trainings:trainer_",), more=True),
)
