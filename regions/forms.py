"""Form helpers for choosing regions: regency choices and the searchable village picker (scoped to the user)."""

from django import forms
from django.urls import reverse_lazy

from regions.models import Regency, Village


def regency_choices(user):
    """The current regencies (kabupaten/kota) the user may see, by code."""
    return Regency.objects.visible_to(user).current().order_by("code")


def village_choices(user, regencies):
    """The current villages of one regency or several that the user may see, with their kecamatan, by code."""
    if isinstance(regencies, str | Regency):
        regencies = [regencies]
    return (
        Village.objects.visible_to(user)
        .current()
        .filter(district__regency__in=regencies)
        .select_related("district")
        .order_by("code")
    )


def village_label(village):
    """A village as the picker shows it: with its kecamatan and code, so namesakes can be told apart."""
    return f"{village.name} — Kec. {village.district.name} ({village.code})"


class VillagePicker(forms.Select):
    """A village list the browser turns into a search box: type a name or a code (static/js/forms.js).

    Without JavaScript it stays a plain list. By default the search runs over the options on the page,
    which are exactly the villages the form accepts. With `regencies_from` (the id of a regency select
    on the same page) the picker asks the village search (regions:village_search) for villages of the
    regencies chosen there, so it follows that choice without reloading the page.
    """

    picker_attrs = {"data-picker": "village"}

    def __init__(self, attrs=None, *, regencies_from=None):
        super().__init__({**self.picker_attrs, **(attrs or {})})
        if regencies_from:
            self.search_within(regencies_from)

    def search_within(self, regency_select_id):
        """Search the server for villages of the regencies chosen in the select with this id."""
        self.attrs["data-search-url"] = reverse_lazy("regions:village_search")
        self.attrs["data-regencies-from"] = regency_select_id


class VillagePickerMultiple(VillagePicker, forms.SelectMultiple):
    """Several villages, picked by typing (see VillagePicker); each chosen village can be removed with ×."""


class VillageChoiceField(forms.ModelChoiceField):
    """One village, picked by name or code (VillagePicker)."""

    widget = VillagePicker

    def label_from_instance(self, obj):
        return village_label(obj)


class VillageMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Villages, picked by name or code (VillagePickerMultiple)."""

    widget = VillagePickerMultiple

    def label_from_instance(self, obj):
        return village_label(obj)
