"""Forms of a site selection round: the round, its criteria, candidates, a stakeholder's scores and the decision."""

from django import forms
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from percontohan import forms as portal_forms
from regions.forms import VillageMultipleChoiceField, regency_choices, village_choices
from regions.models import Village
from villages.forms_programme import blm_choices
from villages.models import ProgrammeArea, SelectionCandidate, SelectionCriterion, SelectionRound
from villages.models.selection import SCORE_MAX, SCORE_MIN


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.regency.name})"


class SelectionRoundForm(portal_forms.ModelForm):
    """A round: where, for which area and period, under which BLM, and the consultation minutes."""

    class Meta:
        model = SelectionRound
        fields = ["title", "regency", "programme_area", "responsible_blm", "period_start", "period_end", "minutes"]
        field_classes = {"programme_area": AreaChoiceField}
        widgets = {"minutes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regency_choices(user)
        self.fields["programme_area"].queryset = ProgrammeArea.objects.visible_to(user).select_related("regency")
        self.fields["responsible_blm"].queryset = blm_choices(user)
        if self.instance.pk and self.instance.candidates.exists():
            self.fields["regency"].disabled = True
            self.fields["regency"].help_text = _(
                "Putaran sudah memiliki calon desa; kabupaten/kota tidak dapat diubah."
            )

    def clean(self):
        cleaned = super().clean()
        regency, area = cleaned.get("regency"), cleaned.get("programme_area")
        if regency and area and area.regency_id != regency.pk:
            self.add_error("programme_area", _("Kawasan ini tidak berada di kabupaten/kota yang dipilih."))
        return cleaned


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    def add_non_form_error(self, error):
        """An error found after validation (the weights, checked by the service once saved)."""
        self.non_form_errors().extend(error.messages)


CriterionFormSet = forms.inlineformset_factory(
    SelectionRound,
    SelectionCriterion,
    form=portal_forms.ModelForm,
    formset=BaseCriterionFormSet,
    fields=["name", "description", "weight"],
    extra=2,
    can_delete=True,
)


class CandidateAddForm(portal_forms.Form):
    """Add villages of the round's regency (within the user's scope) as candidates."""

    villages = VillageMultipleChoiceField(
        label=_("Desa"),
        queryset=Village.objects.none(),
        help_text=_("Ketik nama atau kode desa, lalu pilih; ulangi untuk desa berikutnya."),
    )
    proposal_note = forms.CharField(label=_("Catatan usulan"), max_length=255, required=False)

    def __init__(self, *args, round_, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.fields["villages"].queryset = village_choices(user, round_.regency_id).exclude(
            selection_candidacies__round=round_
        )

    @transaction.atomic
    def save(self):
        note = self.cleaned_data["proposal_note"]
        return [
            SelectionCandidate.objects.create(round=self.round, village=village, proposal_note=note)
            for village in self.cleaned_data["villages"]
        ]


class StakeholderForm(portal_forms.Form):
    """Which organisation the scores are entered for (organisations the user may see)."""

    stakeholder = forms.ModelChoiceField(label=_("Pemangku kepentingan"), queryset=Organisation.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Organisation.objects.visible_to(user).order_by("name")


SCORE_CHOICES = [("", "—")] + [(value, str(value)) for value in range(SCORE_MIN, SCORE_MAX + 1)]


class ScoreSheetForm(StakeholderForm):
    """One stakeholder's scores (1–5) of every candidate on every criterion.

    A cell left empty is not scored yet; a score already recorded can be changed but not emptied.
    """

    def __init__(self, *args, candidates, criteria, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].widget = forms.HiddenInput()
        self.criteria = criteria
        self.is_empty = not candidates or not criteria
        self.cells = {}
        self.grid = []
        for candidate in candidates:
            row = []
            for criterion in criteria:
                name = f"score_{candidate.pk}_{criterion.pk}"
                recorded = existing.get((candidate.pk, criterion.pk))
                label = _("%(criterion)s untuk %(village)s") % {
                    "criterion": criterion.name,
                    "village": candidate.village.name,
                }
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    choices=SCORE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=recorded is not None,
                    initial=recorded,
                    # The grid shows no <label>: screen readers read the village and criterion from here.
                    widget=forms.Select(attrs={"class": "form-select form-select-sm", "aria-label": label}),
                )
                self.cells[name] = (candidate, criterion)
                row.append(self[name])
            self.grid.append((candidate, row))

    def filled_scores(self):
        """(candidate, criterion, value) for every cell given a value."""
        for name, (candidate, criterion) in self.cells.items():
            value = self.cleaned_data.get(name)
            if value is not None:
                yield candidate, criterion, value


class DecisionForm(portal_forms.Form):
    """The decision: which candidates become pilot villages, and why."""

    chosen = forms.ModelMultipleChoiceField(
        label=_("Desa terpilih"), queryset=SelectionCandidate.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    rationale = forms.CharField(
        label=_("Alasan keputusan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Misalnya hasil musyawarah para pihak dan pertimbangan efisiensi dan efektivitas."),
    )

    def __init__(self, *args, round_, ranked, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = round_.candidates.all()
        # Offered in ranking order, each with its weighted score.
        self.fields["chosen"].choices = [(entry.candidate.pk, self.label(entry)) for entry in ranked]

    @staticmethod
    def label(entry):
        village = entry.candidate.village
        if entry.total is None:
            return _("%(village)s, Kec. %(district)s — belum dinilai lengkap") % {
                "village": village.name,
                "district": village.district.name,
            }
        return _("%(rank)s. %(village)s, Kec. %(district)s — nilai %(total)s") % {
            "rank": entry.rank,
            "village": village.name,
            "district": village.district.name,
            "total": number_format(entry.total, decimal_pos=2),
        }
