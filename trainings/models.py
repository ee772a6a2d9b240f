"""Trainings: the catalogue of programmes, their batches (angkatan) and sessions, trainers, the people
trained (with their protected NIK), enrolments, attendance, scores and reactions, certificates anyone
can verify, and the follow-up of what participants applied afterwards (Kirkpatrick levels 1–4).

Scoping (percontohan.scoping): the catalogue (programmes, trainers) is read by every user and changed
by the staff of the BLM that owns it; a batch is seen where its venue or one of its target villages
lies; a person through the regency of their village; everything under a batch (sessions, enrolments,
attendance, certificates, follow-ups) follows the batch.
"""

import secrets

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agreements.models import evidence_path
from partners.models import Organisation, organisations_serving, organisations_serving_outside
from percontohan.history import VersionedModel, tracked
from percontohan.imports import ImportRecord
from percontohan.indexes import any_of, name_search_index
from percontohan.links import record_url
from percontohan.records import PortalModel
from percontohan.scoping import ScopedQuerySet, scope_keys
from percontohan.storage import private_storage
from trainings.fields import NikField
from trainings.nik import Sex

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
SCORE = [MinValueValidator(0), MaxValueValidator(100)]
LIKERT = [MinValueValidator(1), MaxValueValidator(5)]


# --- Scoping shared by the models --------------------------------------------------------------------


def blm_serving_q(regency_codes, lookup="blm"):
    """Rows of a BLM whose whole working area lies in the given regencies (the BLM's own staff)."""
    inside = scope_keys(organisations_serving, regency_codes)
    outside = scope_keys(organisations_serving_outside, regency_codes)
    return Q(**{f"{lookup}__in": inside}) & ~Q(**{f"{lookup}__in": outside})


class CatalogueQuerySet(ScopedQuerySet):
    """The catalogue (programmes, trainers) is read by every user; it is changed by the staff of the
    BLM that keeps it (an editor whose scope holds that BLM's whole working area) and by Admin."""

    def scope_q(self, regency_codes):
        return Q()

    def edit_scope_q(self, regency_codes):
        return blm_serving_q(regency_codes)


def batches_reaching(regency_codes):
    """The batches seen in the given regencies (the read rule, through percontohan.scoping.scope_keys)."""
    targets = Batch.target_villages.through.objects.filter(village__district__regency_id__in_array=regency_codes)
    return any_of(
        Batch.objects.filter(venue_village__district__regency_id__in_array=regency_codes).values("pk"),
        Batch.objects.filter(venue_village__isnull=True, blm__regency_id__in_array=regency_codes).values("pk"),
        Batch.objects.filter(area__regency_id__in_array=regency_codes).values("pk"),
        targets.values("batch_id"),
    )


def batches_reaching_outside(regency_codes):
    """The batches with a target village outside the given regencies."""
    return Batch.target_villages.through.objects.exclude(village__district__regency_id__in_array=regency_codes).values(
        "batch_id"
    )


def batches_inside(regency_codes):
    """The batches a regional editor of the given regencies may change (the write rule)."""
    return Batch.objects.filter(Batch.objects.none().edit_scope_q(regency_codes)).values("pk")


class BatchQuerySet(ScopedQuerySet):
    def scope_q(self, regency_codes):
        """Seen where the batch takes place (the venue village, or the BLM's own regency when held there)
        or where one of its target villages or its programme area lies."""
        return Q(pk__in=scope_keys(batches_reaching, regency_codes))

    def edit_scope_q(self, regency_codes):
        """Changed by a regional editor only when its venue and every target village lie in their regencies."""
        targets_outside = scope_keys(batches_reaching_outside, regency_codes)
        venue_inside = Q(venue_village__district__regency_id__in_array=regency_codes) | Q(
            venue_village__isnull=True, blm__regency_id__in_array=regency_codes
        )
        area_inside = Q(area__isnull=True) | Q(area__regency_id__in_array=regency_codes)
        return self.scope_q(regency_codes) & venue_inside & area_inside & ~Q(pk__in=targets_outside)


class UnderBatchQuerySet(ScopedQuerySet):
    """Records under a batch are seen and changed as their batch is."""

    batch_lookup = "batch"

    def scope_q(self, regency_codes):
        return Q(**{f"{self.batch_lookup}__in": scope_keys(batches_reaching, regency_codes)})

    def edit_scope_q(self, regency_codes):
        return Q(**{f"{self.batch_lookup}__in": scope_keys(batches_inside, regency_codes)})


class UnderEnrolmentQuerySet(UnderBatchQuerySet):
    batch_lookup = "enrolment__batch"


class UnderFollowUpQuerySet(UnderBatchQuerySet):
    batch_lookup = "follow_up__enrolment__batch"


class PersonQuerySet(ScopedQuerySet):
    scope_lookup = "village__district__regency"


# --- Catalogue ------------------------------------------------------------------------------------------


class ProgrammeField(models.TextChoices):
    BUMDES = "bumdes", _("Pengelolaan BUMDes")
    AGRIBUSINESS = "agribisnis", _("Agribisnis")
    VILLAGE_FINANCE = "keuangan_desa", _("Keuangan desa")
    DIGITAL_MARKETING = "pemasaran_digital", _("Pemasaran digital")
    AQUACULTURE = "perikanan", _("Perikanan budi daya")
    FACILITATORS = "pendamping", _("Pendamping desa")
    GOVERNANCE = "tata_kelola", _("Tata kelola pemerintahan desa")
    OTHER = "lainnya", pgettext_lazy("pilihan", "Lainnya")


@tracked()
class Programme(VersionedModel):
    """A training in the catalogue: what it teaches, how long it is (JP), and its completion rule."""

    blm = models.ForeignKey(
        Organisation,
        verbose_name=_("BLM penyelenggara"),
        on_delete=models.PROTECT,
        related_name="training_programmes",
        limit_choices_to={"kind": "blm"},
    )
    code = models.CharField(_("kode"), max_length=30, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    field = models.CharField(_("bidang"), max_length=30, choices=ProgrammeField)
    objectives = models.TextField(_("tujuan"), blank=True)
    competencies = models.TextField(_("kompetensi yang dicapai"), blank=True)
    hours_jp = models.PositiveSmallIntegerField(
        _("jumlah jam pelajaran (JP)"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    gives_certificate = models.BooleanField(_("memberi sertifikat"), default=True)
    min_attendance_pct = models.PositiveSmallIntegerField(_("kehadiran minimal (%)"), default=80, validators=PERCENT)
    min_post_test = models.PositiveSmallIntegerField(
        _("nilai post-test minimal"),
        null=True,
        blank=True,
        validators=SCORE,
        help_text=_("Kosongkan bila kelulusan tidak bergantung pada post-test."),
    )
    requires_practical = models.BooleanField(_("dengan penilaian praktik"), default=False)
    min_practical = models.PositiveSmallIntegerField(
        _("nilai praktik minimal"), null=True, blank=True, validators=SCORE
    )
    active = models.BooleanField(_("masih ditawarkan"), default=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("program pelatihan")
        verbose_name_plural = pgettext_lazy("jamak", "program pelatihan")
        ordering = ["title"]
        indexes = [name_search_index("title", "programme_title_trgm")]
        constraints = [
            models.CheckConstraint(
                condition=Q(requires_practical=False) | Q(min_practical__isnull=False),
                name="programme_practical_has_minimum",
                violation_error_message=_("Isi nilai praktik minimal bila ada penilaian praktik."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.code})"

    def get_absolute_url(self):
        return record_url("trainings:programme_detail", self.pk)


@tracked()
class Trainer(VersionedModel):
    """A trainer (widyaiswara, practitioner, partner's expert) on a BLM's roster."""

    blm = models.ForeignKey(
        Organisation,
        verbose_name=_("BLM"),
        on_delete=models.PROTECT,
        related_name="trainers",
        limit_choices_to={"kind": "blm"},
    )
    name = models.CharField(_("nama"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("instansi asal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    expertise = models.CharField(_("keahlian"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("surel"), blank=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("pelatih")
        verbose_name_plural = pgettext_lazy("jamak", "pelatih")
        ordering = ["name"]
        indexes = [name_search_index("name", "trainer_name_trgm")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("trainings:trainer_detail", self.pk)


# --- Batches and sessions -----------------------------------------------------------------------------


class BatchMode(models.TextChoices):
    AT_BLM = "blm", _("Di BLM")
    IN_VILLAGE = "desa", _("Di desa")
    ONLINE = "daring", _("Daring")


class BatchStatus(models.TextChoices):
    PLANNED = "direncanakan", _("Direncanakan")
    REGISTRATION = "pendaftaran", _("Pendaftaran dibuka")
    RUNNING = "berjalan", _("Berjalan")
    CLOSED = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")


@tracked()
class Batch(VersionedModel):
    """An angkatan: one run of a programme, by a BLM, at a venue, on dates, for target villages."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="batches"
    )
    name = models.CharField(_("nama angkatan"), max_length=120, help_text=_("Misalnya “Angkatan I 2020”."))
    blm = models.ForeignKey(
        Organisation,
        verbose_name=_("BLM penyelenggara"),
        on_delete=models.PROTECT,
        related_name="training_batches",
        limit_choices_to={"kind": "blm"},
    )
    mode = models.CharField(_("moda"), max_length=10, choices=BatchMode)
    venue_village = models.ForeignKey(
        "regions.Village",
        verbose_name=_("desa tempat pelatihan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosongkan bila pelatihan diadakan di BLM."),
    )
    venue_detail = models.CharField(_("tempat"), max_length=300, blank=True)
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    quota = models.PositiveSmallIntegerField(
        _("kuota peserta"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    target_villages = models.ManyToManyField(
        "regions.Village", verbose_name=_("desa sasaran"), blank=True, related_name="training_batches"
    )
    area = models.ForeignKey(
        "villages.ProgrammeArea",
        verbose_name=_("kawasan sasaran"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_batches",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("melaksanakan perjanjian"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_batches",
    )
    commitment = models.ForeignKey(
        "agreements.Commitment",
        verbose_name=_("memenuhi komitmen"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_batches",
    )
    status = models.CharField(
        _("status"), max_length=15, choices=BatchStatus, default=BatchStatus.PLANNED, editable=False
    )
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True, editable=False)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("angkatan pelatihan")
        verbose_name_plural = pgettext_lazy("jamak", "angkatan pelatihan")
        ordering = ["-starts_on", "pk"]
        indexes = [
            name_search_index("name", "batch_name_trgm"),
            models.Index(fields=["status", "starts_on"], name="batch_status_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="batch_ends_after_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=~Q(status="dibatalkan") | ~Q(cancel_reason=""),
                name="batch_cancel_has_reason",
                violation_error_message=_("Pembatalan harus disertai alasan."),
            ),
        ]

    def __str__(self):
        return f"{self.programme.title} — {self.name}"

    def get_absolute_url(self):
        return record_url("trainings:batch_detail", self.pk)

    @property
    def venue_regency_id(self):
        return self.venue_village.district.regency_id if self.venue_village_id else self.blm.regency_id


@tracked()
class Session(VersionedModel):
    """One meeting of a batch: date, time, topic, hours, trainers."""

    batch = models.ForeignKey(Batch, verbose_name=_("angkatan"), on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("tanggal"))
    starts_at = models.TimeField(_("jam mulai"), null=True, blank=True)
    ends_at = models.TimeField(_("jam selesai"), null=True, blank=True)
    topic = models.CharField(_("materi"), max_length=300)
    hours_jp = models.DecimalField(
        _("jam pelajaran (JP)"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0)]
    )
    trainers = models.ManyToManyField(Trainer, verbose_name=_("pelatih"), blank=True, related_name="sessions")

    objects = UnderBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("sesi")
        verbose_name_plural = pgettext_lazy("jamak", "sesi")
        ordering = ["batch", "date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("Jam selesai harus setelah jam mulai."),
            )
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.topic}"


# --- People -------------------------------------------------------------------------------------------


class SexChoice(models.TextChoices):
    MALE = Sex.MALE, _("Laki-laki")
    FEMALE = Sex.FEMALE, _("Perempuan")


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("Tidak/belum sekolah")
    SD = "sd", _("SD/sederajat")
    SMP = "smp", _("SMP/sederajat")
    SMA = "sma", _("SMA/SMK/sederajat")
    DIPLOMA = "diploma", _("Diploma")
    S1 = "s1", _("Sarjana (S1)")
    S2 = "s2", _("Pascasarjana (S2/S3)")


class VillageRole(models.TextChoices):
    OFFICIAL = "perangkat", _("Perangkat desa")
    BPD = "bpd", _("Anggota BPD")
    BUMDES = "bumdes", _("Pengurus BUMDes")
    FARMER_GROUP = "kelompok_tani", _("Kelompok tani/nelayan")
    PKK = "pkk", _("PKK")
    YOUTH = "pemuda", _("Karang taruna/pemuda")
    CADRE = "kader", _("Kader desa")
    ENTREPRENEUR = "pelaku_usaha", _("Pelaku usaha")
    RESIDENT = "warga", _("Warga")


class Disability(models.TextChoices):
    NONE = "", _("Tidak ada")
    PHYSICAL = "fisik", _("Fisik")
    SENSORY = "sensorik", _("Sensorik (netra, rungu, wicara)")
    INTELLECTUAL = "intelektual", _("Intelektual")
    MENTAL = "mental", _("Mental")
    MULTIPLE = "ganda", _("Ganda")


# The NIK in clear and its keyed hash are never history: the masked form is (it says a NIK changed).
@tracked(exclude=["nik", "nik_hash"])
class Person(VersionedModel):
    """A person trained, kept once across every training they attend.

    `nik` is encrypted at rest (Fernet, NIK_ENCRYPTION_KEYS from the environment);
    `nik_hash` (HMAC with NIK_HASH_KEY) finds a NIK without decrypting; `nik_masked` is what pages show.
    A person registered without their NIK at hand has none of the three, and `nik_missing` is shown.
    """

    full_name = models.CharField(_("nama lengkap"), max_length=200)
    nik = NikField(_("NIK"), max_length=16, blank=True, null=True, editable=False)
    nik_hash = models.CharField(_("sidik NIK"), max_length=64, null=True, blank=True, unique=True, editable=False)
    nik_masked = models.CharField(_("NIK (tersamar)"), max_length=16, blank=True, editable=False)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=SexChoice)
    birth_date = models.DateField(_("tanggal lahir"))
    village = models.ForeignKey(
        "regions.Village", verbose_name=_("desa/kelurahan domisili"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("telepon/WhatsApp"), max_length=20, blank=True)
    education = models.CharField(_("pendidikan terakhir"), max_length=20, choices=Education, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=120, blank=True)
    village_role = models.CharField(_("peran di desa"), max_length=20, choices=VillageRole, blank=True)
    disability = models.CharField(_("disabilitas"), max_length=20, choices=Disability, blank=True, default="")
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = pgettext_lazy("jamak", "peserta")
        ordering = ["full_name", "pk"]
        indexes = [
            name_search_index("full_name", "person_name_trgm"),
            # Possible duplicates of a person without NIK: same birth date and village, similar name.
            models.Index(fields=["village", "birth_date"], name="person_village_birth"),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return record_url("trainings:person_detail", self.pk)

    @property
    def nik_missing(self):
        return not self.nik_hash


class NikReveal(PortalModel):
    """An Admin looked at a person's NIK in clear: who, when, why. Kept, never changed."""

    person = models.ForeignKey(Person, verbose_name=_("peserta"), on_delete=models.CASCADE, related_name="reveals")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("alasan"), max_length=300)
    at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("pembukaan NIK")
        verbose_name_plural = pgettext_lazy("jamak", "pembukaan NIK")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.person} — {self.user} ({self.at:%Y-%m-%d %H:%M})"


# --- Enrolment, attendance, scores, reactions ----------------------------------------------------------


class EnrolmentStatus(models.TextChoices):
    REGISTERED = "terdaftar", _("Terdaftar")
    WAITING = "daftar_tunggu", _("Daftar tunggu")
    CONFIRMED = "dikonfirmasi", _("Dikonfirmasi")
    WITHDRAWN = "mengundurkan_diri", _("Mengundurkan diri")
    COMPLETED = "lulus", _("Lulus")
    NOT_COMPLETED = "tidak_lulus", _("Tidak lulus")


# Enrolments that hold a place of the batch's quota.
HOLDING_PLACE = (
    EnrolmentStatus.REGISTERED,
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
)


@tracked()
class Enrolment(VersionedModel):
    """A person in a batch: their place (or waiting-list turn), their scores and their result."""

    batch = models.ForeignKey(Batch, verbose_name=_("angkatan"), on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, verbose_name=_("peserta"), on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus, default=EnrolmentStatus.REGISTERED)
    registered_at = models.DateTimeField(_("mendaftar"), default=timezone.now)
    withdrawn_reason = models.CharField(_("alasan mengundurkan diri"), max_length=300, blank=True)
    pre_test = models.DecimalField(
        _("nilai pre-test"), max_digits=5, decimal_places=2, null=True, blank=True, validators=SCORE
    )
    post_test = models.DecimalField(
        _("nilai post-test"), max_digits=5, decimal_places=2, null=True, blank=True, validators=SCORE
    )
    practical = models.DecimalField(
        _("nilai praktik"), max_digits=5, decimal_places=2, null=True, blank=True, validators=SCORE
    )
    result_reason = models.CharField(_("keterangan hasil"), max_length=300, blank=True)

    objects = UnderBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("keikutsertaan")
        verbose_name_plural = pgettext_lazy("jamak", "keikutsertaan")
        ordering = ["batch", "person__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "person"],
                name="enrolment_once_per_batch",
                violation_error_message=_("Orang ini sudah terdaftar di angkatan ini."),
            )
        ]
        indexes = [models.Index(fields=["batch", "status", "registered_at"], name="enrolment_batch_status")]

    def __str__(self):
        return f"{self.person} — {self.batch}"


class AttendanceMark(models.TextChoices):
    PRESENT = "hadir", _("Hadir")
    LATE = "terlambat", _("Terlambat")
    EXCUSED = "izin", _("Izin")
    ABSENT = "absen", _("Tidak hadir")


# Marks that count as attending a session.
ATTENDED = (AttendanceMark.PRESENT, AttendanceMark.LATE)


@tracked()
class Attendance(VersionedModel):
    """One cell of the attendance sheet: a participant at a session."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("keikutsertaan"), on_delete=models.CASCADE, related_name="attendance"
    )
    session = models.ForeignKey(Session, verbose_name=_("sesi"), on_delete=models.CASCADE, related_name="attendance")
    mark = models.CharField(_("kehadiran"), max_length=10, choices=AttendanceMark)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    objects = UnderEnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = pgettext_lazy("jamak", "kehadiran")
        constraints = [models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_once_per_session")]

    def __str__(self):
        return f"{self.enrolment.person} — {self.session}: {self.get_mark_display()}"


@tracked()
class Reaction(VersionedModel):
    """Kirkpatrick level 1: what the participant thought of the training (1–5)."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("keikutsertaan"), on_delete=models.CASCADE, related_name="reaction"
    )
    content = models.PositiveSmallIntegerField(_("materi"), validators=LIKERT)
    trainer = models.PositiveSmallIntegerField(_("pelatih"), validators=LIKERT)
    venue = models.PositiveSmallIntegerField(_("tempat dan fasilitas"), validators=LIKERT)
    usefulness = models.PositiveSmallIntegerField(_("manfaat"), validators=LIKERT)
    comment = models.TextField(_("komentar"), blank=True, max_length=2000)

    objects = UnderEnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("tanggapan peserta")
        verbose_name_plural = pgettext_lazy("jamak", "tanggapan peserta")

    @property
    def mean(self):
        return (self.content + self.trainer + self.venue + self.usefulness) / 4


# --- Certificates -------------------------------------------------------------------------------------


def verification_code():
    """The certificate's public code: unguessable, short enough for a QR code and a URL."""
    return secrets.token_urlsafe(12)


@tracked()
class Certificate(VersionedModel):
    """A certificate of completion, numbered per BLM and year, verifiable at /verifikasi/<code>/."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("keikutsertaan"), on_delete=models.PROTECT, related_name="certificate"
    )
    blm = models.ForeignKey(Organisation, verbose_name=_("BLM"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    serial = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor sertifikat"), max_length=60, unique=True)
    code = models.CharField(_("kode verifikasi"), max_length=32, unique=True, default=verification_code)
    issued_on = models.DateField(_("tanggal terbit"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    revoked_on = models.DateField(_("dicabut pada"), null=True, blank=True)
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)

    objects = UnderEnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = pgettext_lazy("jamak", "sertifikat")
        ordering = ["blm", "year", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["blm", "year", "serial"], name="certificate_serial_per_blm_year"),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | ~Q(revoked_reason=""),
                name="certificate_revocation_has_reason",
                violation_error_message=_("Pencabutan sertifikat harus disertai alasan."),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return record_url("trainings:certificate_detail", self.pk)

    def get_verification_url(self):
        return reverse("verify_certificate", args=[self.code])

    @property
    def is_valid(self):
        return self.revoked_on is None


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=["processed_rows", "heartbeat_at"])),
    pghistory.DeleteEvent(),
)
class CertificateRun(ImportRecord):
    """Issuing a batch's certificates in the background: one row per participant who met the rule."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("angkatan"), on_delete=models.CASCADE, related_name="certificate_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dimulai oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    issued_count = models.PositiveIntegerField(_("sertifikat terbit"), default=0)
    created_at = models.DateTimeField(_("dimulai"), auto_now_add=True)

    objects = UnderBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("penerbitan sertifikat")
        verbose_name_plural = pgettext_lazy("jamak", "penerbitan sertifikat")
        ordering = ["-created_at"]

    def get_absolute_url(self):
        return record_url("trainings:certificate_run", self.pk)


# --- Follow-up ----------------------------------------------------------------------------------------


class FollowUpWave(models.IntegerChoices):
    FIRST = 1, _("± 1 bulan")
    SECOND = 2, _("3–6 bulan")


class FollowUpMethod(models.TextChoices):
    VISIT = "kunjungan", _("Kunjungan")
    PHONE = "telepon", _("Telepon")
    WHATSAPP = "whatsapp", _("WhatsApp")
    FORM = "formulir", _("Formulir")


class Applied(models.TextChoices):
    YES = "ya", _("Ya")
    PARTLY = "sebagian", _("Sebagian")
    NO = "tidak", _("Tidak")


class VillageResultKind(models.TextChoices):
    NONE = "", _("Tidak ada")
    BUMDES_UNIT = "unit_bumdes", _("Unit usaha BUMDes")
    REGULATION = "perdes", _("Peraturan desa")
    VILLAGE_PROGRAMME = "program_desa", _("Kegiatan dalam APBDes/RKPDes")
    GROUP = "kelompok", _("Kelompok usaha/kelompok masyarakat")
    OTHER = "lainnya", pgettext_lazy("pilihan", "Lainnya")


class FollowUpQuerySet(UnderEnrolmentQuerySet):
    def due(self, today=None):
        """Planned follow-ups not done yet whose date has come."""
        return self.filter(done_on__isnull=True, due_on__lte=today or timezone.localdate())


@tracked()
class FollowUp(VersionedModel):
    """What a participant applied, asked about 1 month and 3–6 months after the training (levels 3–4).

    Planned when the participant completes; `done_on` is set when the answer is recorded. A follow-up
    done without reaching the participant (`reached` false) counts against the response rate.
    """

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("keikutsertaan"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    wave = models.PositiveSmallIntegerField(_("tahap"), choices=FollowUpWave)
    due_on = models.DateField(_("jadwal"))
    done_on = models.DateField(_("dilaksanakan"), null=True, blank=True)
    method = models.CharField(_("cara"), max_length=15, choices=FollowUpMethod, blank=True)
    reached = models.BooleanField(_("peserta dapat dihubungi"), default=True)
    applied = models.CharField(_("menerapkan hasil pelatihan"), max_length=10, choices=Applied, blank=True)
    what_applied = models.TextField(_("yang diterapkan"), blank=True, max_length=2000)
    business_started = models.BooleanField(_("memulai usaha"), default=False)
    business_type = models.CharField(_("jenis usaha"), max_length=200, blank=True)
    income_before = models.PositiveBigIntegerField(
        _("pendapatan rumah tangga per bulan sebelum (Rp)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000_000)],
    )
    income_after = models.PositiveBigIntegerField(
        _("pendapatan rumah tangga per bulan sesudah (Rp)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000_000)],
    )
    village_result_kind = models.CharField(
        _("hasil di tingkat desa"), max_length=20, choices=VillageResultKind, blank=True, default=""
    )
    village_result = models.TextField(_("uraian hasil di tingkat desa"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = pgettext_lazy("jamak", "tindak lanjut")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "wave"], name="followup_once_per_wave")]
        indexes = [models.Index(fields=["done_on", "due_on"], name="followup_due")]

    def __str__(self):
        return f"{self.enrolment.person} — {self.get_wave_display()}"

    def get_absolute_url(self):
        return record_url("trainings:followup_detail", self.pk)


def followup_evidence_path(instance, filename):
    return evidence_path(instance, filename)


@tracked()
class FollowUpEvidence(PortalModel):
    """A photo or document showing what was applied (private storage, content-checked on upload)."""

    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("tindak lanjut"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("berkas"), storage=private_storage, upload_to=followup_evidence_path)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(_("jenis isi"), max_length=100)
    size = models.PositiveBigIntegerField(_("ukuran"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    objects = UnderFollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("bukti tindak lanjut")
        verbose_name_plural = pgettext_lazy("jamak", "bukti tindak lanjut")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name


# --- Import of participants ---------------------------------------------------------------------------


class ParticipantImportQuerySet(UnderBatchQuerySet):
    pass


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=["processed_rows", "heartbeat_at"])),
    pghistory.DeleteEvent(),
)
class ParticipantImport(ImportRecord):
    """One registration list imported into a batch: all rows enrolled, or none."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("angkatan"), on_delete=models.CASCADE, related_name="participant_imports"
    )
    file = models.FileField(_("berkas"), storage=private_storage, upload_to="imports/peserta/%Y/%m/", blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    created_count = models.PositiveIntegerField(_("orang baru"), default=0)
    matched_count = models.PositiveIntegerField(_("orang yang sudah tercatat"), default=0)
    enrolled_count = models.PositiveIntegerField(_("didaftarkan"), default=0)
    matched = models.JSONField(_("orang yang sudah tercatat"), default=list)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    objects = ParticipantImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("impor peserta")
        verbose_name_plural = pgettext_lazy("jamak", "impor peserta")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return record_url("trainings:participant_import_detail", self.pk)

    def apply_result(self, result):
        self.created_count, self.matched_count = result.created, result.matched_count
        self.enrolled_count, self.matched = result.enrolled, result.matched
