"""Users, their role and their regional scope."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from percontohan.background import TaskRecord
from percontohan.links import record_url
from percontohan.records import PortalModel
from percontohan.roles import GROUP_NAMES, NATIONAL_ROLES, Role
from percontohan.storage import private_storage


class User(AbstractUser):
    """A portal user: one role and one scope (all of Indonesia, a BLM's regencies, or one regency)."""

    role = models.CharField(_("peran"), max_length=20, choices=Role, default=Role.PEJABAT_PEMDA)
    national_scope = models.BooleanField(
        _("cakupan seluruh Indonesia"),
        default=False,
        help_text=_("Admin dan Kementerian selalu melihat seluruh Indonesia."),
    )
    scope_regencies = models.ManyToManyField(
        "regions.Regency",
        verbose_name=_("kabupaten/kota dalam cakupan"),
        blank=True,
        related_name="scoped_users",
        help_text=_("Wilayah kerja BLM (beberapa kabupaten/kota) atau satu kabupaten/kota untuk Pejabat Pemda."),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("instansi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
    )
    position = models.CharField(_("jabatan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = pgettext_lazy("jamak", "pengguna")

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        if self.role in NATIONAL_ROLES:
            self.national_scope = True
        super().save(*args, **kwargs)
        # The role's group carries the model permissions.
        group = Group.objects.filter(name=GROUP_NAMES[Role(self.role)]).first()
        if group is not None:
            self.groups.set([group])

    def clean_scope(self, regencies):
        """Check a scope before it is saved (used by the admin form, which sets the M2M after save)."""
        if self.role == Role.PEJABAT_PEMDA and len(regencies) != 1:
            raise ValidationError({"scope_regencies": _("Pejabat Pemda harus dicakup tepat satu kabupaten/kota.")})
        if self.role == Role.STAF_BLM and not self.national_scope and not regencies:
            raise ValidationError(
                {"scope_regencies": _("Staf BLM harus memiliki wilayah kerja: pilih minimal satu kabupaten/kota.")}
            )
        if self.national_scope and self.role == Role.PEJABAT_PEMDA:
            raise ValidationError({"national_scope": _("Pejabat Pemda tidak dapat bercakupan nasional.")})

    @property
    def sees_everything(self):
        return self.is_superuser or self.national_scope or self.role in NATIONAL_ROLES

    @cached_property
    def scope_regency_codes(self):
        """The regency codes this user may see, or None when the scope is all of Indonesia."""
        if self.sees_everything:
            return None
        return frozenset(self.scope_regencies.values_list("code", flat=True))

    @property
    def is_editor(self):
        """Admins and BLM staff enter and change data; the others read."""
        return self.is_active and (self.is_superuser or self.role in {Role.ADMIN, Role.STAF_BLM})


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(PortalModel):
    """An in-app notice for one user (expiring agreements, overdue commitments, …).

    `key` makes a reminder idempotent: the daily task never notifies the same thing twice.
    """

    user = models.ForeignKey(User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("jenis"), max_length=40)
    key = models.CharField(_("kunci"), max_length=200)
    message = models.CharField(_("pesan"), max_length=500)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim lewat surel"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = pgettext_lazy("jamak", "notifikasi")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key")]

    def __str__(self):
        return self.message


def export_path(export, filename):
    return f"ekspor/{export.user_id}/{export.created_at:%Y%m%d-%H%M%S}-{filename}"


class Export(TaskRecord):
    """A list exported in the background (percontohan.exports): too many rows to write within a request.

    It is its user's own: the worker reruns the list's view as that user, with the filters and sorting
    they had on screen (`path` and `query`), so it holds exactly the rows the list showed them.
    """

    user = models.ForeignKey(User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="exports")
    title = models.CharField(_("daftar"), max_length=200)
    path = models.CharField(_("alamat daftar"), max_length=2000)
    query = models.TextField(_("filter"), blank=True)
    export_format = models.CharField(_("format"), max_length=10)
    filename = models.CharField(_("nama berkas"), max_length=200)
    language = models.CharField(_("bahasa"), max_length=10)
    file = models.FileField(_("berkas"), storage=private_storage, upload_to=export_path, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("ekspor")
        verbose_name_plural = pgettext_lazy("jamak", "ekspor")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return record_url("export", self.pk)

    @property
    def list_url(self):
        return f"{self.path}?{self.query}" if self.query else self.path
