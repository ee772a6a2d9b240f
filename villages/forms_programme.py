"""Forms for programme areas (kawasan) and pilot villages; every choice list is limited to the user's scope."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation, OrganisationKind
from percontohan import forms as portal_forms
from percontohan.forms import DATE_WIDGET
from regions.forms import VillageChoiceField, regency_choices, village_choices
from regions.models import Regency, Village
from villages.models import AreaMembership, PilotStatus, ProgrammeArea


def blm_choices(user):
    return Organisation.objects.visible_to(user).filter(kind=OrganisationKind.BLM).order_by("name")


class ProgrammeAreaForm(portal_forms.ModelForm):
    """A programme area; its regency is fixed once it has member villages."""

    class Meta:
        model = ProgrammeArea
        fields = ["name", "kind", "regency", "description", "established_on", "legal_basis"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "established_on": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regency_choices(user)
        if self.instance.pk and self.instance.memberships.exists():
            self.fields["regency"].disabled = True
            self.fields["regency"].help_text = _(
                "Kawasan sudah memiliki desa anggota; kabupaten/kota tidak dapat diubah."
            )


class AreaMemberForm(portal_forms.Form):
    """Add a village of the area's regency for a period."""

    village = VillageChoiceField(label=_("Desa"), queryset=Village.objects.none())
    valid_from = forms.DateField(label=_("Berlaku mulai"), widget=DATE_WIDGET)
    valid_to = forms.DateField(
        label=_("Berlaku sampai"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Kosongkan bila keanggotaan masih berlaku."),
    )

    def __init__(self, *args, area, user, **kwargs):
        # Merged, not setdefault: FormView always passes an (empty) initial.
        kwargs["initial"] = {"valid_from": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = village_choices(user, area.regency_id)


class MembershipEndForm(portal_forms.ModelForm):
    """End (or correct the end of) a membership; the start is shown, not changed."""

    class Meta:
        model = AreaMembership
        fields = ["valid_from", "valid_to"]
        widgets = {"valid_from": DATE_WIDGET, "valid_to": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Kept in the form (disabled) so the model's period rules are checked against it.
        self.fields["valid_from"].disabled = True
        self.fields["valid_to"].required = True
        if not self.instance.valid_to:
            self.initial["valid_to"] = timezone.localdate()


class PilotRegencyForm(portal_forms.Form):
    """Step one of proposing a pilot village: the regency whose villages to choose from."""

    regency = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=Regency.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regency_choices(user)


class PilotProposeForm(portal_forms.Form):
    """Propose a village of one regency as a candidate pilot village."""

    regency = forms.ModelChoiceField(queryset=Regency.objects.none(), widget=forms.HiddenInput)
    village = VillageChoiceField(label=_("Desa"), queryset=Village.objects.none())
    responsible_blm = forms.ModelChoiceField(label=_("BLM penanggung jawab"), queryset=Organisation.objects.none())
    programme_area = forms.ModelChoiceField(label=_("Kawasan"), queryset=ProgrammeArea.objects.none(), required=False)
    period_start = forms.IntegerField(label=_("Periode mulai (tahun)"), min_value=2000, max_value=2100)
    period_end = forms.IntegerField(label=_("Periode selesai (tahun)"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_("Alasan pengusulan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    notes = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, regency, **kwargs):
        year = timezone.localdate().year
        initial = {"regency": regency, "period_start": year, "period_end": year + 4, **kwargs.pop("initial", {})}
        blms = blm_choices(user)
        if user.organisation_id and user.organisation.kind == OrganisationKind.BLM:
            initial.setdefault("responsible_blm", user.organisation_id)
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["regency"].queryset = regency_choices(user)
        self.fields["village"].queryset = village_choices(user, regency)
        self.fields["responsible_blm"].queryset = blms
        self.fields["programme_area"].queryset = ProgrammeArea.objects.visible_to(user).filter(regency=regency)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Tahun selesai tidak boleh sebelum tahun mulai."))
        return cleaned


class PilotTransitionForm(portal_forms.Form):
    """Move a pilot village to another status; the list offers only the steps its lifecycle allows."""

    # Any status is accepted here so that a step the lifecycle refuses gets the service's message.
    to_status = forms.ChoiceField(label=_("Status baru"), choices=PilotStatus.choices)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, pilot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].widget.choices = [("", "---------")] + [
            (status.value, status.label) for status in pilot.allowed_transitions()
        ]
