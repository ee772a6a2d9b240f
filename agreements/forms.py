"""Forms of agreements: the agreement with its coverage, its parties and signatories (inline formsets),
and the lifecycle steps. Every choice list is limited to what the user may see."""

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementKind, AgreementParty, Signatory
from partners.models import Organisation
from percontohan import forms as portal_forms
from percontohan.forms import DATE_WIDGET
from regions.forms import VillageMultipleChoiceField, regency_choices, village_choices
from regions.models import Village
from villages.models import ProgrammeArea


class AgreementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} — {obj.title}"


class AreaMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.regency.name})"


def organisation_choices(user, agreement=None):
    """Organisations the user may see, plus those already named in the agreement (kept when editing)."""
    visible = Q(pk__in=Organisation.objects.visible_to(user).values("pk"))
    if agreement is not None and agreement.pk:
        named = agreement.parties.values("organisation_id")
        visible |= Q(pk__in=named) | Q(pk=agreement.issuer_id)
    return Organisation.objects.filter(visible).order_by("name")


class AgreementForm(portal_forms.ModelForm):
    """An agreement and what it covers.

    Coverage choices are the user's regions; villages are offered from the chosen
    regencies (the page's “show villages” button refreshes them without saving).
    An agreement covering a region outside the user's scope is not theirs to edit
    (the write rule, percontohan.scoping), so nothing of its coverage is hidden here.
    """

    villages = VillageMultipleChoiceField(
        label=_("Desa yang dicakup"),
        queryset=Village.objects.none(),
        required=False,
        help_text=_(
            "Ketik nama atau kode desa dari kabupaten/kota yang dipilih; kabupaten/kota desa yang dipilih ikut dicakup."
        ),
    )
    areas = AreaMultipleChoiceField(
        label=_("Kawasan yang dicakup"),
        queryset=ProgrammeArea.objects.none(),
        required=False,
    )

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "number",
            "issuer",
            "title",
            "subject",
            "implements",
            "amends",
            "signed_on",
            "signed_place",
            "effective_from",
            "effective_to",
            "regencies",
            "villages",
            "areas",
        ]
        field_classes = {"implements": AgreementChoiceField, "amends": AgreementChoiceField}
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 3}),
            "signed_on": DATE_WIDGET,
            "effective_from": DATE_WIDGET,
            "effective_to": DATE_WIDGET,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        agreement = self.instance
        visible_agreements = Agreement.objects.visible_to(user).exclude(pk=agreement.pk).order_by("number")
        self.fields["implements"].queryset = visible_agreements.filter(kind=AgreementKind.MOU)
        self.fields["amends"].queryset = visible_agreements.exclude(kind=AgreementKind.ADDENDUM)
        self.fields["issuer"].queryset = organisation_choices(user, agreement)
        regencies = regency_choices(user).select_related("province")
        self.fields["regencies"].queryset = regencies
        self.fields["regencies"].required = False
        self.fields["regencies"].help_text = _("Ketik nama kabupaten/kota, lalu pilih; ulangi untuk yang berikutnya.")
        self.fields["areas"].queryset = ProgrammeArea.objects.visible_to(user).select_related("regency")
        self.fields["villages"].queryset = village_choices(user, self.chosen_regencies())
        # The picker searches the regencies chosen on the page; without JavaScript, “Tampilkan desa” refreshes it.
        self.fields["villages"].widget.search_within(self["regencies"].auto_id)
        if not agreement.pk and user.organisation_id:
            self.initial.setdefault("issuer", user.organisation_id)
        if not self.chosen_regencies():
            self.fields["villages"].help_text = _(
                "Pilih kabupaten/kota yang dicakup, lalu ketik nama atau kode desanya."
            )

    def chosen_regencies(self):
        """The regencies whose villages are offered: those chosen on the page and those covered already
        (so a village stays a valid choice while its regency is being changed)."""
        chosen = [code for code in self.data.getlist(self.add_prefix("regencies")) if code] if self.is_bound else []
        if self.instance.pk:
            chosen += [r.pk for r in self.instance.regencies.all()]
        return chosen

    def coverage(self):
        """What the agreement will cover: the regencies, villages and areas chosen."""
        return {name: list(self.cleaned_data.get(name, [])) for name in ("regencies", "villages", "areas")}


class PartyForm(portal_forms.ModelForm):
    class Meta:
        model = AgreementParty
        fields = ["position", "organisation"]
        widgets = {
            "position": forms.NumberInput(attrs={"class": "form-control"}),
            "organisation": forms.Select(attrs={"class": "form-select"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Pihak pertama is 1: a position 0 would have no name.
        self.fields["position"].validators.append(MinValueValidator(1))
        self.fields["position"].widget.attrs.update(min=1, max=20)


class SignatoryForm(portal_forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["role", "name", "position", "organisation"]
        widgets = {
            "role": forms.Select(attrs={"class": "form-select w-auto"}),
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "position": forms.TextInput(attrs={"class": "form-control"}),
            "organisation": forms.Select(attrs={"class": "form-select"}),
        }


class ScopedInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset whose organisation choices are the user's, read once for every row."""

    def __init__(self, *args, user, **kwargs):
        self.organisations = organisation_choices(user, kwargs.get("instance"))
        self.organisation_choices = None
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        field = form.fields["organisation"]
        field.queryset = self.organisations
        if self.organisation_choices is None:
            self.organisation_choices = list(field.choices)
        field.choices = self.organisation_choices
        return form

    def rows(self):
        """The rows kept — filled in and not marked for deletion — in page order."""
        return [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]


class PartyFormSet(ScopedInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new row proposes the next position (pihak kedua after pihak pertama, …).
        taken = len(self.initial_forms)
        for offset, form in enumerate(self.extra_forms):
            form.fields["position"].initial = taken + offset + 1

    def parties(self):
        return [
            {"organisation": form.cleaned_data["organisation"], "position": form.cleaned_data["position"]}
            for form in self.rows()
        ]


class SignatoryFormSet(ScopedInlineFormSet):
    def signatories(self):
        return [
            {"pk": form.instance.pk, **{name: form.cleaned_data.get(name) for name in SignatoryForm.Meta.fields}}
            for form in self.rows()
        ]


def party_formset(*, data=None, instance, user, extra):
    formset_class = forms.inlineformset_factory(
        Agreement, AgreementParty, form=PartyForm, formset=PartyFormSet, extra=extra, can_delete=True
    )
    return formset_class(data, instance=instance, user=user, prefix="pihak")


def signatory_formset(*, data=None, instance, user, extra):
    formset_class = forms.inlineformset_factory(
        Agreement, Signatory, form=SignatoryForm, formset=SignatoryFormSet, extra=extra, can_delete=True
    )
    return formset_class(
        data,
        instance=instance,
        user=user,
        prefix="penandatangan",
        queryset=Signatory.objects.filter(agreement=instance.pk).select_related("organisation")
        if instance.pk
        else Signatory.objects.none(),
    )


def shown_unvalidated(*forms_and_formsets):
    """Show bound forms again without their errors: a refresh of the page (more rows, the villages
    of the chosen regencies) is not a submission, so it must not greet the user with complaints."""
    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            item._non_form_errors = item.error_class()
            item._errors = []
            shown_unvalidated(*item.forms)
        else:
            item._errors = ErrorDict()


class SignForm(portal_forms.Form):
    signed_on = forms.DateField(label=_("Tanggal penandatanganan"), widget=DATE_WIDGET)
    signed_place = forms.CharField(
        label=_("Tempat penandatanganan"), max_length=200, required=False, help_text=_("Misalnya Aula BLM Banjarmasin.")
    )

    def __init__(self, *args, agreement, **kwargs):
        # Merged, not setdefault: FormView always passes an (empty) initial.
        defaults = {"signed_on": agreement.signed_on or timezone.localdate(), "signed_place": agreement.signed_place}
        kwargs["initial"] = {**defaults, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class TerminateForm(portal_forms.Form):
    terminated_on = forms.DateField(label=_("Tanggal pengakhiran"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Alasan pengakhiran"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args, agreement, **kwargs):
        kwargs["initial"] = {"terminated_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class RenewForm(portal_forms.Form):
    number = forms.CharField(
        label=_("Nomor perjanjian perpanjangan"), max_length=120, help_text=_("Nomor baru dari instansi penerbit.")
    )
    title = forms.CharField(label=_("Judul"), max_length=300)

    def __init__(self, *args, agreement, **kwargs):
        kwargs["initial"] = {"title": agreement.title, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class AddendumForm(portal_forms.Form):
    number = forms.CharField(label=_("Nomor adendum"), max_length=120)
    title = forms.CharField(label=_("Judul adendum"), max_length=300)
    subject = forms.CharField(
        label=_("Pokok perubahan"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )

    def __init__(self, *args, agreement, **kwargs):
        title = _("Adendum %(title)s") % {"title": agreement.title}
        kwargs["initial"] = {"title": title, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
