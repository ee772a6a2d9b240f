"""Agreements: MoU (nota kesepahaman), PKS (perjanjian kerja sama) and addenda, with their
parties, signatories and witnesses, documents, and the commitments each party made."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from percontohan.history import VersionedModel, tracked
from percontohan.indexes import any_of, name_search_index
from percontohan.links import record_url
from percontohan.records import PortalModel
from percontohan.scoping import ScopedQuerySet, scope_keys
from percontohan.storage import PrivateStorage as PrivateStorage  # the name the migrations know
from percontohan.storage import private_storage


def _generated_name(folder, filename):
    """Files are stored under generated names (never the uploader's), keeping only a safe extension."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    extension = extension if extension.isalnum() and len(extension) <= 5 else "bin"
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def document_path(instance, filename):
    return _generated_name("agreements", filename)


def evidence_path(instance, filename):
    return _generated_name("evidence", filename)


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Nota kesepahaman (MoU)")
    PKS = "pks", _("Perjanjian kerja sama (PKS)")
    ADDENDUM = "adendum", _("Adendum/amandemen")


class AgreementStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    SIGNED = "ditandatangani", _("Ditandatangani")
    ACTIVE = "berlaku", _("Berlaku")
    EXPIRED = "berakhir", _("Berakhir")
    TERMINATED = "diakhiri", _("Diakhiri")


# Which status may follow which; active and expired also follow the dates (daily task).
AGREEMENT_TRANSITIONS = {
    AgreementStatus.DRAFT: {AgreementStatus.SIGNED},
    AgreementStatus.SIGNED: {AgreementStatus.ACTIVE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED},
    AgreementStatus.ACTIVE: {AgreementStatus.EXPIRED, AgreementStatus.TERMINATED},
    AgreementStatus.EXPIRED: set(),
    AgreementStatus.TERMINATED: set(),
}


def agreements_reaching(regency_codes):
    """The agreements covering a region in the given regencies: a regency they name, or the regency of a
    covered village or programme area (the read rule, through percontohan.scoping.scope_keys)."""
    through = Agreement.regencies.through.objects.filter(regency_id__in_array=regency_codes)
    villages = Agreement.villages.through.objects.filter(village__district__regency_id__in_array=regency_codes)
    areas = Agreement.areas.through.objects.filter(programmearea__regency_id__in_array=regency_codes)
    # One UNION, not three OR-ed IN (…): the OR makes PostgreSQL read every agreement, even when a
    # search has already found a few (percontohan.indexes.any_of).
    return any_of(through.values("agreement_id"), villages.values("agreement_id"), areas.values("agreement_id"))


def agreements_reaching_outside(regency_codes):
    """The agreements covering a regency, village or programme area outside the given regencies."""
    through = Agreement.regencies.through.objects.exclude(regency_id__in_array=regency_codes)
    villages = Agreement.villages.through.objects.exclude(village__district__regency_id__in_array=regency_codes)
    areas = Agreement.areas.through.objects.exclude(programmearea__regency_id__in_array=regency_codes)
    return any_of(through.values("agreement_id"), villages.values("agreement_id"), areas.values("agreement_id"))


def agreements_inside(regency_codes):
    """The agreements a regional editor of the given regencies may change (the write rule)."""
    return Agreement.objects.filter(Agreement.objects.edit_scope_q(regency_codes)).values("pk")


class AgreementQuerySet(ScopedQuerySet):
    def scope_q(self, regency_codes):
        """Visible where the agreement covers a region in the user's scope: a regency it names,
        or the regency of a covered village or programme area."""
        return Q(pk__in=scope_keys(agreements_reaching, regency_codes))

    def edit_scope_q(self, regency_codes):
        """Changed by a regional editor only when everything it covers lies in the editor's regencies.

        An agreement that also covers another region is changed by Admin: a BLM signing,
        terminating or editing it would act for a region it does not work in.
        """
        return self.scope_q(regency_codes) & ~Q(pk__in=scope_keys(agreements_reaching_outside, regency_codes))

    def expiring_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.expiring_between(today, today + timedelta(days=days))

    def expiring_between(self, today, until):
        """Signed or active agreements whose term ends from today to `until`, both included."""
        return self.filter(
            status__in=[AgreementStatus.SIGNED, AgreementStatus.ACTIVE],
            effective_to__isnull=False,
            effective_to__gte=today,
            effective_to__lte=until,
        )


@tracked()
class Agreement(VersionedModel):
    """An MoU, PKS or addendum: who agreed what, when, where, for how long, covering which villages."""

    kind = models.CharField(_("jenis"), max_length=10, choices=AgreementKind)
    number = models.CharField(_("nomor"), max_length=120)
    issuer = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("instansi penerbit nomor"),
        on_delete=models.PROTECT,
        related_name="issued_agreements",
    )
    title = models.CharField(_("judul"), max_length=300)
    subject = models.TextField(_("pokok kesepakatan"), blank=True)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("mengubah perjanjian"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addenda",
        help_text=_("Untuk adendum/amandemen: perjanjian yang diubah."),
    )
    implements = models.ForeignKey(
        "self",
        verbose_name=_("melaksanakan MoU"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementing_agreements",
        help_text=_("Untuk PKS: nota kesepahaman yang dilaksanakannya."),
    )
    renewal_of = models.ForeignKey(
        "self",
        verbose_name=_("perpanjangan dari"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
    )
    signed_on = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    signed_place = models.CharField(_("tempat penandatanganan"), max_length=200, blank=True)
    effective_from = models.DateField(_("berlaku mulai"), null=True, blank=True)
    effective_to = models.DateField(
        _("berlaku sampai"), null=True, blank=True, help_text=_("Kosongkan bila tidak dibatasi waktu.")
    )
    status = models.CharField(_("status"), max_length=16, choices=AgreementStatus, default=AgreementStatus.DRAFT)
    terminated_on = models.DateField(_("tanggal pengakhiran"), null=True, blank=True)
    termination_reason = models.TextField(_("alasan pengakhiran"), blank=True)
    regencies = models.ManyToManyField(
        "regions.Regency", verbose_name=_("kabupaten/kota yang dicakup"), blank=True, related_name="agreements"
    )
    villages = models.ManyToManyField(
        "regions.Village", verbose_name=_("desa yang dicakup"), blank=True, related_name="agreements"
    )
    areas = models.ManyToManyField(
        "villages.ProgrammeArea", verbose_name=_("kawasan yang dicakup"), blank=True, related_name="agreements"
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("perjanjian")
        verbose_name_plural = pgettext_lazy("jamak", "perjanjian")
        ordering = ["-signed_on", "-pk"]
        indexes = [
            name_search_index("title", "agreement_title_trgm"),
            name_search_index("number", "agreement_number_trgm"),
            name_search_index("subject", "agreement_subject_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"],
                name="agreement_number_unique_per_issuer",
                violation_error_message=_("Nomor ini sudah dipakai perjanjian lain dari instansi penerbit yang sama."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="agreement_period_ordered",
                violation_error_message=_("Tanggal akhir berlaku tidak boleh sebelum tanggal mulai berlaku."),
            ),
        ]

    def __str__(self):
        return f"{self.number} — {self.title}"

    def get_absolute_url(self):
        return record_url("agreements:agreement_detail", self.pk)

    def clean(self):
        errors = {}
        if self.kind == AgreementKind.ADDENDUM and not self.amends_id:
            errors["amends"] = _("Adendum harus menyebut perjanjian yang diubahnya.")
        if self.kind != AgreementKind.ADDENDUM and self.amends_id:
            errors["amends"] = _("Hanya adendum yang mengubah perjanjian lain.")
        if self.implements_id:
            if self.kind != AgreementKind.PKS:
                errors["implements"] = _("Hanya PKS yang melaksanakan sebuah MoU.")
            elif self.implements.kind != AgreementKind.MOU:
                errors["implements"] = _("Perjanjian yang dilaksanakan harus berupa MoU.")
        for field in ("amends_id", "implements_id", "renewal_of_id"):
            if self.pk and getattr(self, field) == self.pk:
                errors[field.removesuffix("_id")] = _("Perjanjian tidak dapat merujuk dirinya sendiri.")
        if errors:
            raise ValidationError(errors)

    def allowed_transitions(self):
        return sorted(AGREEMENT_TRANSITIONS[AgreementStatus(self.status)], key=list(AgreementStatus).index)

    def status_by_date(self, today=None):
        """What the dates say a signed agreement is now (active or expired); None for other statuses."""
        if self.status not in (AgreementStatus.SIGNED, AgreementStatus.ACTIVE):
            return None
        today = today or timezone.localdate()
        if self.effective_to and self.effective_to < today:
            return AgreementStatus.EXPIRED
        if self.effective_from is None or self.effective_from <= today:
            return AgreementStatus.ACTIVE
        return AgreementStatus.SIGNED

    @property
    def days_left(self):
        if not self.effective_to:
            return None
        return (self.effective_to - timezone.localdate()).days


class AgreementChildQuerySet(ScopedQuerySet):
    """Rows that belong to an agreement are seen, and changed, with their agreement."""

    # Path from the model to its agreement.
    agreement_lookup = "agreement"

    def scope_q(self, regency_codes):
        return Q(**{f"{self.agreement_lookup}__in": scope_keys(agreements_reaching, regency_codes)})

    def edit_scope_q(self, regency_codes):
        return Q(**{f"{self.agreement_lookup}__in": scope_keys(agreements_inside, regency_codes)})


@tracked()
class AgreementParty(PortalModel):
    """A party to an agreement with its role (pihak pertama, pihak kedua, …)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("perjanjian"), on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        "partners.Organisation", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="agreement_parties"
    )
    position = models.PositiveSmallIntegerField(_("pihak ke-"), help_text=_("1 = pihak pertama, 2 = pihak kedua, …"))

    objects = AgreementChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("pihak")
        verbose_name_plural = pgettext_lazy("jamak", "pihak")
        ordering = ["agreement_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"],
                name="agreementparty_unique_organisation",
                violation_error_message=_("Instansi ini sudah menjadi pihak dalam perjanjian ini."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "position"],
                name="agreementparty_unique_position",
                violation_error_message=_("Kedudukan pihak ini sudah terisi."),
            ),
        ]

    def __str__(self):
        return f"{self.role_label}: {self.organisation}"

    @property
    def role_label(self):
        names = {1: _("Pihak pertama"), 2: _("Pihak kedua"), 3: _("Pihak ketiga"), 4: _("Pihak keempat")}
        return names.get(self.position, _("Pihak ke-%(n)s") % {"n": self.position})


class SignatoryRole(models.TextChoices):
    SIGNATORY = "penandatangan", _("Penandatangan")
    WITNESS = "saksi", _("Saksi")


@tracked()
class Signatory(PortalModel):
    """A person who signed an agreement, or witnessed it, with their position and organisation."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("perjanjian"), on_delete=models.CASCADE, related_name="signatories"
    )
    role = models.CharField(_("peran"), max_length=14, choices=SignatoryRole, default=SignatoryRole.SIGNATORY)
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=255)
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = AgreementChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("penandatangan/saksi")
        verbose_name_plural = pgettext_lazy("jamak", "penandatangan/saksi")
        ordering = ["agreement_id", "role", "order", "pk"]

    def __str__(self):
        return f"{self.name} ({self.position})"


class DocumentKind(models.TextChoices):
    SIGNED = "naskah", _("Naskah yang ditandatangani (PDF)")
    ATTACHMENT = "lampiran", _("Lampiran")


@tracked()
class Document(PortalModel):
    """A document of an agreement; replacing it adds a version and keeps the old ones."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("perjanjian"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=DocumentKind, default=DocumentKind.ATTACHMENT)
    title = models.CharField(_("judul"), max_length=255)

    objects = AgreementChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = pgettext_lazy("jamak", "dokumen")
        ordering = ["agreement_id", "kind", "title"]

    def __str__(self):
        return self.title

    @cached_property
    def current(self):
        return self.versions.order_by("-number").first()


class DocumentVersionQuerySet(AgreementChildQuerySet):
    agreement_lookup = "document__agreement"


@tracked()
class DocumentVersion(PortalModel):
    """One uploaded file of a document, stored under a generated name in private storage."""

    document = models.ForeignKey(Document, verbose_name=_("dokumen"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versi"))
    file = models.FileField(_("berkas"), storage=private_storage, upload_to=document_path)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(_("jenis isi"), max_length=100)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"), default=timezone.now)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("versi dokumen")
        verbose_name_plural = pgettext_lazy("jamak", "versi dokumen")
        ordering = ["document_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="documentversion_unique_number")]

    def __str__(self):
        return f"{self.document} v{self.number}"

    def get_absolute_url(self):
        return record_url("agreements:document_download", self.pk)


class Recurrence(models.TextChoices):
    NONE = "", _("Sekali")
    MONTHLY = "bulanan", _("Setiap bulan")
    QUARTERLY = "triwulan", _("Setiap triwulan")
    SEMIANNUAL = "semester", _("Setiap semester")
    YEARLY = "tahunan", _("Setiap tahun")


RECURRENCE_MONTHS = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.SEMIANNUAL: 6, Recurrence.YEARLY: 12}


class CommitmentStatus(models.TextChoices):
    OPEN = "terbuka", _("Belum dimulai")
    IN_PROGRESS = "berjalan", _("Sedang berjalan")
    DONE = "selesai", _("Selesai")


class CommitmentQuerySet(AgreementChildQuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.exclude(status=CommitmentStatus.DONE).filter(due_date__lt=today)


@tracked()
class Commitment(VersionedModel):
    """What a party promised in an agreement, by when, and how far it got."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("perjanjian"), on_delete=models.CASCADE, related_name="commitments"
    )
    party = models.ForeignKey(
        AgreementParty,
        verbose_name=_("pihak yang bertanggung jawab"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    description = models.TextField(_("komitmen"))
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    recurrence = models.CharField(
        _("pengulangan"), max_length=10, choices=Recurrence, default=Recurrence.NONE, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=CommitmentStatus, default=CommitmentStatus.OPEN)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("komitmen")
        verbose_name_plural = pgettext_lazy("jamak", "komitmen")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return record_url("agreements:commitment_detail", self.pk)

    def clean(self):
        if self.party_id and self.agreement_id and self.party.agreement_id != self.agreement_id:
            raise ValidationError({"party": _("Pihak ini bukan pihak dalam perjanjian tersebut.")})
        if self.recurrence and not self.due_date:
            raise ValidationError({"due_date": _("Komitmen berulang memerlukan tenggat pertama.")})

    @property
    def is_overdue(self):
        return (
            self.status != CommitmentStatus.DONE and self.due_date is not None and self.due_date < timezone.localdate()
        )

    @property
    def display_status(self):
        """The status a person reads: overdue is computed from the due date, never stored."""
        return _("Terlambat") if self.is_overdue else self.get_status_display()


class EvidenceQuerySet(AgreementChildQuerySet):
    agreement_lookup = "commitment__agreement"


@tracked()
class CommitmentEvidence(PortalModel):
    """Proof that a commitment was kept: a note and optionally a file."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("komitmen"), on_delete=models.CASCADE, related_name="evidence"
    )
    note = models.TextField(_("keterangan"))
    file = models.FileField(_("berkas bukti"), storage=private_storage, upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    content_type = models.CharField(_("jenis isi"), max_length=100, blank=True)
    for_due_date = models.DateField(_("untuk tenggat"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = pgettext_lazy("jamak", "bukti")
        ordering = ["commitment_id", "-uploaded_at"]

    def __str__(self):
        return self.note[:80]

    def get_absolute_url(self):
        return record_url("agreements:evidence_download", self.pk) if self.file else ""
