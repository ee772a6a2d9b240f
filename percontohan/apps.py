from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PercontohanConfig(AppConfig):
    name = "percontohan"
    verbose_name = _("Akun dan peran")

    def ready(self):
        from percontohan.roles import sync_role_groups
        from percontohan.scoping import write_lists_of_codes_once

        write_lists_of_codes_once()

        post_migrate.connect(sync_role_groups, dispatch_uid="percontohan.sync_role_groups")
