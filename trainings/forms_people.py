"""Forms of people and their enrolments: a person with their NIK (checked, and never written back into a
page in clear), finding and enrolling people in a batch, an enrolment's status step, revealing a NIK
(Admin), and the upload of a participant list."""

import re
from pathlib import Path

from cryptography.fernet import InvalidToken
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from percontohan import forms as portal_forms
from percontohan.filters import SEARCH_MAX_LENGTH
from percontohan.forms import DATE_WIDGET
from regions.forms import RegionPicker
from regions.models import Village
from trainings import nik as niks
from trainings import services
from trainings.fields import nik_fernet
from trainings.models import EnrolmentStatus, Person

MIN_AGE, MAX_AGE = 15, 100
# A phone number as people write it, once spaces and dashes are dropped: digits, optionally after a +.
PHONE = re.compile(r"\+?[0-9]{6,15}")
PHONE_SEPARATORS = re.compile(r"[\s\-]")
# A NIK already checked is carried between the steps of a form encrypted, for this long at most.
NIK_KEPT_SECONDS = 3600
ACCEPTED_SUFFIXES = (".csv", ".xlsx")


def age_on(birth_date, today):
    """Whole years from `birth_date` to `today`."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def birth_date_problem(birth_date, today=None):
    """Why a birth date cannot be a participant's (in the past, aged MIN_AGE–MAX_AGE), or None."""
    today = today or timezone.localdate()
    if birth_date >= today:
        return _("Tanggal lahir harus di masa lalu.")
    age = age_on(birth_date, today)
    if age < MIN_AGE:
        return _("Peserta harus berusia paling sedikit %(min)s tahun (usia menurut tanggal ini: %(age)s).") % {
            "min": MIN_AGE,
            "age": age,
        }
    if age > MAX_AGE:
        return _("Periksa tanggal lahir: usia menurut tanggal ini lebih dari %(max)s tahun.") % {"max": MAX_AGE}
    return None


def clean_phone(value):
    """A phone number with its spaces and dashes dropped; ValidationError when anything but digits (and a
    leading +) remains."""
    value = PHONE_SEPARATORS.sub("", value or "")
    if value and not PHONE.fullmatch(value):
        raise ValidationError(_("Nomor telepon hanya boleh berisi angka (boleh diawali +), 6–15 angka."), code="phone")
    return value


class VillageSearchPicker(RegionPicker):
    """A village found by typing its name or code (the scoped village search, regions:village_search): like
    the region pickers of the lists, the page carries only the chosen village, not the thousands a
    national user may choose from. `within` narrows it to a regency field of the same form."""

    def __init__(self, attrs=None, *, within=None, hint=None):
        super().__init__("kabupaten", attrs, within=within, hint=hint)
        self.attrs["data-search-url"] = reverse_lazy("regions:village_search")


class NikInput(forms.TextInput):
    """A box for a NIK (or a search that may be one): what was typed is never written back into the page."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        return None


def keep_nik(digits):
    """A checked NIK as a form carries it to its next step: encrypted (never in clear in the page)."""
    return nik_fernet().encrypt(digits.encode()).decode()


def kept_nik(token):
    """The NIK a form carried (see keep_nik), or "" when there is none or it is not one of ours."""
    if not token:
        return ""
    try:
        return nik_fernet().decrypt(token.encode(), ttl=NIK_KEPT_SECONDS).decode()
    except (InvalidToken, UnicodeError, ValueError):
        return ""


class PersonForm(portal_forms.ModelForm):
    """A person, registered or changed (saved by services.person_save).

    The NIK is checked by its structure (which digits are wrong) and against the sex and birth date
    entered (the field that disagrees says so); an unknown kecamatan is only a warning (`warnings`).
    Without a NIK, "registered without NIK" must be ticked. The NIK typed is never shown back: once
    checked it is carried encrypted to the form's next step (`nik_kept`), and only its masked form is
    shown. `existing_person` is whoever already holds the NIK (the view links to them instead).
    """

    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=40,
        widget=NikInput(),
        help_text=_("16 angka sesuai KTP atau kartu keluarga."),
    )
    nik_kept = forms.CharField(required=False, widget=forms.HiddenInput)
    without_nik = forms.BooleanField(
        label=_("Didaftarkan tanpa NIK"),
        required=False,
        help_text=_("Centang bila NIK belum ada saat pendaftaran; data ini ditandai “tanpa NIK”."),
    )
    # The second step of registering someone without NIK who resembles people already registered.
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = [
        "full_name",
        "nik",
        "without_nik",
        "sex",
        "birth_date",
        "village",
        "phone",
        "education",
        "occupation",
        "village_role",
        "disability",
    ]

    class Meta:
        model = Person
        fields = list(services.PERSON_FIELDS)
        widgets = {
            "birth_date": DATE_WIDGET,
            "village": VillageSearchPicker(),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "village": _("Ketik nama atau kode desa/kelurahan tempat tinggal, lalu pilih."),
            "phone": _("Angka saja, boleh diawali +; misalnya 081234567890."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user).select_related("district")
        self.nik_digits = ""
        self.warnings = []
        self.existing_person = None
        if self.instance.nik_hash:
            # Someone with a NIK keeps it unless another is typed; "without NIK" no longer applies.
            del self.fields["without_nik"]
            self.fields["nik"].help_text = _(
                "Tercatat: %(masked)s. Kosongkan untuk tetap memakai NIK ini; isi 16 angka untuk menggantinya."
            ) % {"masked": self.instance.nik_masked}

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date is not None:
            problem = birth_date_problem(birth_date)
            if problem:
                raise ValidationError(problem, code="birth_date")
        return birth_date

    def clean(self):
        cleaned = super().clean()
        typed = niks.normalise(cleaned.get("nik"))
        kept = "" if typed or cleaned.get("without_nik") else kept_nik(cleaned.get("nik_kept"))
        digits = typed or kept
        if digits:
            self._check_nik(digits, cleaned)
        elif not self.instance.nik_hash and not cleaned.get("without_nik"):
            self.add_error(
                "without_nik",
                ValidationError(
                    _("Isi NIK, atau centang “Didaftarkan tanpa NIK” bila NIK belum ada."), code="nik_missing"
                ),
            )
        return cleaned

    def _check_nik(self, digits, cleaned):
        try:
            _reading, self.warnings = services.check_nik(
                digits, sex=cleaned.get("sex"), birth_date=cleaned.get("birth_date")
            )
        except ValidationError as error:
            self.add_error(None, error)
            if "nik" in error.error_dict:
                return
        # Structurally valid: carried (encrypted) to the next step, so it need not be typed again.
        self.nik_digits = digits
        self.set_data("nik_kept", keep_nik(digits))
        help_text = _("NIK yang diisi: %(masked)s (disimpan dalam formulir). Isi lagi hanya untuk menggantinya.") % {
            "masked": niks.mask(digits)
        }
        # The bound field (read while cleaning) keeps its own copy of the help text.
        self.fields["nik"].help_text = self["nik"].help_text = help_text
        holder = services.find_by_nik(digits)
        if holder is not None and holder.pk != self.instance.pk:
            self.existing_person = holder
            if self.instance.pk:
                self.add_error(
                    "nik",
                    ValidationError(
                        _("NIK ini sudah tercatat untuk orang lain; periksa kembali NIK yang diisi."),
                        code="nik_taken",
                    ),
                )

    def set_data(self, name, value):
        """Change a submitted value as the form is shown again (the next step of the same form)."""
        self.data = self.data.copy()
        self.data[self.add_prefix(name)] = value

    def confirm_step(self):
        """Show the form again asking to confirm a new person despite possible duplicates."""
        self.set_data("confirm_new", "on")

    def person_fields(self):
        """What services.person_save takes from this form."""
        return {name: self.cleaned_data.get(name) for name in services.PERSON_FIELDS}


class PersonFindForm(portal_forms.Form):
    """Find someone already registered: a 16-digit NIK is looked up by its keyed hash, anything else is a name."""

    find = forms.CharField(
        label=_("NIK atau nama"),
        max_length=SEARCH_MAX_LENGTH,
        widget=NikInput(attrs={"inputmode": "text"}),
        help_text=_("NIK dicari tepat 16 angka; nama dicari sebagian (paling sedikit 3 huruf)."),
    )

    def clean_find(self):
        value = self.cleaned_data["find"].strip()
        digits = niks.normalise(value)
        if digits.isdigit() and len(digits) != 16:
            raise ValidationError(
                _("NIK harus 16 angka; yang diisi %(count)s angka.") % {"count": len(digits)}, code="nik_length"
            )
        if not digits.isdigit() and len(value) < 3:
            raise ValidationError(_("Ketik paling sedikit 3 huruf nama."), code="too_short")
        return value

    @property
    def nik(self):
        """The NIK searched for, or "" for a search by name."""
        digits = niks.normalise(self.cleaned_data.get("find"))
        return digits if digits.isdigit() else ""


class NikSearchForm(portal_forms.Form):
    """The exact NIK search of the person list: sent by POST, so the NIK never becomes part of an address."""

    nik = forms.CharField(label=_("Cari dengan NIK"), max_length=40, widget=NikInput(attrs={"placeholder": "16 angka"}))

    def clean_nik(self):
        digits = niks.normalise(self.cleaned_data["nik"])
        if not (digits.isascii() and digits.isdigit()) or len(digits) != 16:
            raise ValidationError(_("NIK harus 16 angka."), code="nik_length")
        return digits


class EnrolPersonForm(portal_forms.Form):
    """Enrol someone registered already (chosen from a search) in the batch."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user)
        self.fields["person"].error_messages["invalid_choice"] = _("Peserta ini tidak ditemukan; cari ulang.")
        self.fields["person"].error_messages["required"] = _("Pilih peserta yang akan didaftarkan.")


class EnrolmentStatusForm(portal_forms.Form):
    """Confirm or withdraw an enrolment; the list offers only the steps its status allows."""

    # Any status is accepted here so that a step the rules refuse gets the service's message.
    status = forms.ChoiceField(label=_("Status baru"), choices=EnrolmentStatus.choices)
    reason = forms.CharField(
        label=_("Alasan mengundurkan diri"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila peserta mengundurkan diri; tempatnya diberikan kepada urutan pertama daftar tunggu."),
    )

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.ENROLMENT_TRANSITIONS[EnrolmentStatus(enrolment.status)]
        self.fields["status"].widget.choices = [("", "---------")] + [
            (status.value, status.label) for status in EnrolmentStatus if status in allowed
        ]


class NikRevealForm(portal_forms.Form):
    """Why an Admin opens a NIK (kept with the record of the reveal)."""

    reason = forms.CharField(
        label=_("Alasan membuka NIK"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dicatat bersama nama Anda dan waktunya."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 5:
            raise ValidationError(_("Tuliskan alasannya (paling sedikit 5 karakter)."), code="too_short")
        return reason


class ParticipantImportForm(portal_forms.Form):
    """A registration list (CSV or XLSX, the template's columns); its content is checked by the import."""

    file = forms.FileField(
        label=_("Berkas daftar peserta"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8) atau XLSX, paling besar %(mb)s MB, dengan kolom templat: nama, nik, jenis_kelamin, "
            "tanggal_lahir, kode_desa, telepon, pendidikan, pekerjaan, peran_desa, disabilitas."
        ) % {"mb": settings.UPLOAD_MAX_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED_SUFFIXES:
            raise ValidationError(_("Hanya berkas CSV atau XLSX yang dapat diimpor."), code="file_type")
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise ValidationError(
                _("Berkas terlalu besar (%(size)s); batasnya %(max)s MB.")
                % {"size": filesizeformat(upload.size), "max": settings.UPLOAD_MAX_MB},
                code="file_size",
            )
        return upload
