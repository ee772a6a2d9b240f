"""Form helpers for choosing regions: regency choices, the searchable village picker and the region pickers
that load their options on demand (all scoped to the user)."""

import json
import re

from django import forms
from django.urls import reverse_lazy
from django.utils.choices import normalize_choices
from django.utils.translation import gettext_lazy as _

from percontohan.forms import RecordPicker
from regions.models import District, Regency, Village

# A Kemendagri code of any level: 63, 63.04, 63.04.03, 63.04.03.2001.
REGION_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


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


def region_label(region):
    """A province, regency or kecamatan as a region picker shows it: a kecamatan with its regency (many
    kecamatan share a name), every region with its code."""
    if isinstance(region, District):
        return f"{region.name} — {region.regency.name} ({region.code})"
    return str(region)


def whole_province_label(province):
    """A province chosen as a whole, beside its regencies (e.g. the agreement list's region filter)."""
    return _("Seluruh %(province)s") % {"province": province.name}


class RegionPicker(RecordPicker):
    """A province, regency or kecamatan choice whose options the browser loads as the user types
    (percontohan.forms.RecordPicker), from the scoped search regions:region_search at `level` (provinsi,
    kabupaten, kecamatan, or provinsi-kabupaten: a whole province or a regency): the page carries only
    the chosen option, not 514 regencies or 7,285 kecamatan.

    `within` narrows the search to regions chosen in other fields of the same form: {the search's
    parameter (provinsi, kabupaten): the field's name}. The form field stays a ModelChoiceField over the
    user's scope (or a ChoiceField whose choices are read only when a value is sent), which validates
    what is sent.
    """

    def __init__(self, level, attrs=None, *, within=None, hint=None):
        if within:
            attrs = {"data-search-within": json.dumps(within), **(attrs or {})}
        super().__init__(
            reverse_lazy("regions:region_search", kwargs={"level": level}),
            attrs,
            hint=hint or _("Aktifkan JavaScript untuk mencari wilayah lain."),
            picker="region",
        )
        self.level = level

    def is_key(self, value):
        return bool(REGION_CODE.fullmatch(value))

    def chosen(self, field, keys):
        """Read from the field's queryset (one query), or found in a plain list of choices (read only when
        something is chosen)."""
        if not hasattr(field, "queryset"):
            return [(code, label) for code, label in _flat(self.choices.choices) if code in keys]
        regions = field.queryset.filter(pk__in=keys)
        if regions.model is District:
            regions = regions.select_related("regency")
        return [(region.pk, region_label(region)) for region in regions]


def _flat(choices):
    """(value, label) of every choice, those of groups included."""
    for value, label in normalize_choices(choices):
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label
