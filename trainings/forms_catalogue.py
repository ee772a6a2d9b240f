"""Forms of the training catalogue (programmes, trainers), of batches and their sessions, and of a
batch's lifecycle step. Every choice list holds only what the user may see — and a BLM only those the
user may change records for."""

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Commitment
from partners.models import Organisation, OrganisationKind
from percontohan import forms as portal_forms
from percontohan.forms import DATE_WIDGET
from percontohan.scoping import editable_regency_codes
from regions.forms import REGION_CODE, VillageChoiceField, VillageMultipleChoiceField, VillagePicker, village_label
from regions.models import Village
from trainings.models import Batch, BatchMode, BatchStatus, Programme, Session, Trainer, blm_serving_q
from trainings.services import places_taken
from villages.models import ProgrammeArea

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


def editable_blms(user):
    """The BLMs whose catalogue and batches `user` may keep: every BLM for a national editor, else those
    whose whole working area lies in the editor's regencies; none for a role that only reads."""
    blms = Organisation.objects.filter(kind=OrganisationKind.BLM).order_by("name")
    codes = editable_regency_codes(user)
    if codes is None:
        return blms
    if not codes:
        return blms.none()
    return blms.filter(blm_serving_q(sorted(codes), lookup="pk"))


class SearchedVillagePicker(VillagePicker):
    """The village picker over every village of the user's scope: the page carries only the chosen
    village(s), and the browser asks the village search (regions:village_search) as the user types —
    thousands of villages of a BLM's working area are never written into the page."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.attrs["data-search-url"] = reverse_lazy("regions:village_search")

    def optgroups(self, name, value, attrs=None):
        field = self.choices.field
        choices = [("", field.empty_label)] if getattr(field, "empty_label", None) is not None else []
        codes = [code for code in value if code and REGION_CODE.fullmatch(code)]
        if codes:
            chosen = field.queryset.filter(pk__in=codes).select_related("district").order_by("code")
            choices += [(village.pk, village_label(village)) for village in chosen]
        return [
            (None, [self.create_option(name, code, label, code in value, index)], index)
            for index, (code, label) in enumerate(choices)
        ]


class SearchedVillagePickerMultiple(SearchedVillagePicker, forms.SelectMultiple):
    """Several villages of the user's scope, found by typing (see SearchedVillagePicker)."""


def village_queryset(user, *keep):
    """The current villages the user may see, and the ones a record names already (kept when editing)."""
    kept = [code for code in keep if code]
    return Village.objects.filter(
        Q(pk__in=Village.objects.visible_to(user).current().values("pk")) | Q(pk__in=kept)
    ).select_related("district")


# --- Catalogue -----------------------------------------------------------------------------------------


class ProgrammeForm(portal_forms.ModelForm):
    """A programme of the catalogue and its completion rule."""

    class Meta:
        model = Programme
        fields = [
            "code",
            "title",
            "field",
            "blm",
            "objectives",
            "competencies",
            "hours_jp",
            "gives_certificate",
            "min_attendance_pct",
            "min_post_test",
            "requires_practical",
            "min_practical",
            "active",
        ]
        widgets = {"objectives": forms.Textarea(attrs={"rows": 3}), "competencies": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blm"].queryset = editable_blms(user)
        self.fields["min_practical"].help_text = _("Wajib diisi bila ada penilaian praktik.")

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("requires_practical") and cleaned.get("min_practical") is None:
            self.add_error("min_practical", _("Isi nilai praktik minimal bila ada penilaian praktik."))
        elif not cleaned.get("requires_practical"):
            # Without a practical assessment a minimum would mean nothing: it is not kept.
            cleaned["min_practical"] = None
        return cleaned


class TrainerForm(portal_forms.ModelForm):
    """A trainer on a BLM's roster; the organisation they come from is optional."""

    class Meta:
        model = Trainer
        fields = ["name", "blm", "organisation", "expertise", "phone", "email"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blm"].queryset = editable_blms(user)
        organisations = Organisation.objects.visible_to(user)
        if self.instance.organisation_id:
            organisations = Organisation.objects.filter(
                Q(pk__in=organisations.values("pk")) | Q(pk=self.instance.organisation_id)
            )
        self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["organisation"].help_text = _("Kosongkan bila pelatih tidak mewakili instansi.")
        self.fields["organisation"].widget.attrs["data-picker"] = "organisation"


# --- Batches -----------------------------------------------------------------------------------------


class AgreementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} — {obj.title}"


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        description = obj.description if len(obj.description) <= 80 else f"{obj.description[:79]}…"
        return f"{obj.agreement.number}: {description}"


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.regency.name})"


class BatchForm(portal_forms.ModelForm):
    """A batch: its programme, BLM, mode and venue, dates, quota, target villages or area, and the
    agreement or commitment it fulfils. Villages are found by typing; every choice is the user's."""

    venue_village = VillageChoiceField(
        label=_("Desa tempat pelatihan"),
        queryset=Village.objects.none(),
        required=False,
        widget=SearchedVillagePicker,
        help_text=_("Ketik nama atau kode desa. Kosongkan bila pelatihan diadakan di BLM."),
    )
    target_villages = VillageMultipleChoiceField(
        label=_("Desa sasaran"),
        queryset=Village.objects.none(),
        required=False,
        widget=SearchedVillagePickerMultiple,
        help_text=_("Desa asal peserta yang dituju; ketik nama atau kode desa, lalu pilih."),
    )

    class Meta:
        model = Batch
        fields = [
            "programme",
            "name",
            "blm",
            "mode",
            "venue_village",
            "venue_detail",
            "starts_on",
            "ends_on",
            "quota",
            "target_villages",
            "area",
            "agreement",
            "commitment",
            "notes",
        ]
        field_classes = {
            "agreement": AgreementChoiceField,
            "commitment": CommitmentChoiceField,
            "area": AreaChoiceField,
        }
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"venue_detail": _("Misalnya “Aula Kantor Desa” atau “Aula BLM Banjarmasin”.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        batch = self.instance
        self.user = user
        programmes = Programme.objects.visible_to(user).filter(Q(active=True) | Q(pk=batch.programme_id))
        self.fields["programme"].queryset = programmes.order_by("title")
        self.fields["blm"].queryset = editable_blms(user)
        kept = [batch.venue_village_id] + ([v.pk for v in batch.target_villages.all()] if batch.pk else [])
        self.fields["venue_village"].queryset = village_queryset(user, *kept)
        self.fields["target_villages"].queryset = village_queryset(user, *kept)
        self.fields["area"].queryset = ProgrammeArea.objects.visible_to(user).select_related("regency").order_by("name")
        self.fields["agreement"].queryset = Agreement.objects.visible_to(user).order_by("-signed_on", "number")
        self.fields["commitment"].queryset = (
            Commitment.objects.visible_to(user).select_related("agreement").order_by("agreement__number", "pk")
        )
        if not batch.pk and user.organisation_id and user.organisation.kind == OrganisationKind.BLM:
            self.initial.setdefault("blm", user.organisation_id)

    def clean(self):
        cleaned = super().clean()
        mode, venue = cleaned.get("mode"), cleaned.get("venue_village")
        if mode == BatchMode.AT_BLM and venue is not None:
            self.add_error(
                "venue_village", _("Pelatihan di BLM tidak diadakan di desa; kosongkan desa tempat pelatihan.")
            )
        elif mode == BatchMode.IN_VILLAGE and venue is None:
            self.add_error("venue_village", _("Pilih desa tempat pelatihan diadakan."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        elif starts and ends and self.instance.pk:
            outside = self.instance.sessions.exclude(date__range=(starts, ends)).count()
            if outside:
                self.add_error(
                    None,
                    _("%(n)s sesi terjadwal di luar tanggal ini; pindahkan atau hapus sesinya lebih dahulu.")
                    % {"n": outside},
                )
        quota = cleaned.get("quota")
        if quota and self.instance.pk:
            taken = places_taken(self.instance)
            if quota < taken:
                self.add_error(
                    "quota",
                    _("Sudah %(taken)s peserta mendapat tempat; kuota tidak boleh kurang dari itu.") % {"taken": taken},
                )
        agreement, commitment = cleaned.get("agreement"), cleaned.get("commitment")
        if commitment is not None:
            if agreement is None:
                cleaned["agreement"] = commitment.agreement
            elif commitment.agreement_id != agreement.pk:
                self.add_error("commitment", _("Komitmen ini bukan bagian dari perjanjian yang dipilih."))
        return cleaned


class BatchStatusForm(portal_forms.Form):
    """Move a batch along its lifecycle; the list offers the allowed steps (the service refuses others)."""

    # Any status is accepted here, so that a step the lifecycle refuses gets the service's message.
    status = forms.ChoiceField(label=_("Status baru"), choices=BatchStatus.choices)
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Wajib diisi bila angkatan dibatalkan."),
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The list shows the allowed steps only; the field still accepts the others (refused by the service).
        self.fields["status"].widget.choices = [(status.value, status.label) for status in allowed]


# --- Sessions -------------------------------------------------------------------------------------------


class TrainerMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.expertise}" if obj.expertise else obj.name


class SessionForm(portal_forms.ModelForm):
    """A session of a batch: on a day of the batch, with its hours (JP) and trainers of the batch's BLM."""

    class Meta:
        model = Session
        fields = ["date", "starts_at", "ends_at", "topic", "hours_jp", "trainers"]
        field_classes = {"trainers": TrainerMultipleChoiceField}
        widgets = {"date": DATE_WIDGET, "starts_at": TIME_WIDGET, "ends_at": TIME_WIDGET}

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        self.fields["trainers"].queryset = Trainer.objects.filter(blm_id=batch.blm_id).order_by("name")
        self.fields["trainers"].help_text = _("Pelatih dari daftar %(blm)s.") % {"blm": batch.blm}
        self.fields["hours_jp"].widget.attrs.update(min="0.5", step="0.5")

    def clean_date(self):
        date = self.cleaned_data["date"]
        batch = self.batch
        if not batch.starts_on <= date <= batch.ends_on:
            raise forms.ValidationError(
                _("Tanggal sesi harus di antara tanggal mulai dan selesai angkatan (%(start)s – %(end)s).")
                % {"start": date_format(batch.starts_on), "end": date_format(batch.ends_on)}
            )
        return date

    def clean_hours_jp(self):
        hours = self.cleaned_data["hours_jp"]
        if hours is not None and hours <= 0:
            raise forms.ValidationError(_("Jam pelajaran harus lebih dari 0."))
        return hours

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Jam selesai harus setelah jam mulai."))
        return cleaned
