"""The four roles of the portal and what each may do.

A role is a Django group with permissions (kept in sync after every migrate);
the user's `role` field says which group the user belongs to. Whether a user
may change *this* record is the write rule of percontohan/scoping.py (`editable_by`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

DOMAIN_APPS = ("regions", "villages", "partners", "agreements", "trainings")
# Reference data that only admins change (loaded from official sources).
REFERENCE_MODELS = {"province", "regency", "district", "village", "regionimport"}


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    STAF_BLM = "staf_blm", _("Staf BLM")
    PEJABAT_PEMDA = "pejabat_pemda", _("Pejabat Pemda")
    KEMENTERIAN = "kementerian", _("Kementerian")


# Group names are the role labels as the ministry writes them.
GROUP_NAMES = {
    Role.ADMIN: "Admin",
    Role.STAF_BLM: "Staf BLM",
    Role.PEJABAT_PEMDA: "Pejabat Pemda",
    Role.KEMENTERIAN: "Kementerian",
}

EDITOR_ROLES = {Role.ADMIN, Role.STAF_BLM}
NATIONAL_ROLES = {Role.ADMIN, Role.KEMENTERIAN}


def role_grants(role, permission):
    """Whether a role's group holds a model permission (by app and codename)."""
    app, codename = permission.content_type.app_label, permission.codename
    if app not in DOMAIN_APPS and role != Role.ADMIN:
        return False
    if role == Role.ADMIN:
        return True
    action, _sep, model = codename.partition("_")
    if action == "view":
        return True
    if role == Role.STAF_BLM:
        return model not in REFERENCE_MODELS and action in {"add", "change", "delete"}
    return False


def sync_role_groups(**kwargs):
    """Create the role groups and give each its permissions (idempotent; runs after migrate)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # This receiver is connected before auth's own (percontohan comes first in
    # INSTALLED_APPS), so for the app being migrated its permissions may not
    # exist yet: create them first, or the last app's never reach the groups.
    if kwargs.get("app_config") is not None:
        create_permissions(**kwargs)
    permissions = list(Permission.objects.select_related("content_type"))
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([p for p in permissions if role_grants(role, p)])
