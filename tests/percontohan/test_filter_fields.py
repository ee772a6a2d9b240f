"""The lists' filter fields written in Python (`{{ field|filter_field }}`) read as crispy's Bootstrap 5 fields:
the same label, control, options, chosen values, errors and hints, on every list."""

import re

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

from percontohan.templatetags.filter_fields import filter_field
from tests.percontohan.test_tables import LISTS

# Filters with wrong values (errors under the fields), chosen options and a region picker's choice.
FILTERED = [
    "/perjanjian/komitmen/?status=x&due_after=kemarin&kind=mou&q=%3Cb%3E",
    "/desa/?regency=63.04&year=2024&index_status=maju&q=Kuala",
    "/pelatihan/peserta/?sex=P&nik=123",
    "/perjanjian/?expiring=on&year=tahun",  # a ticked checkbox, and an error beside it
]


def normalised(html):
    """HTML without the whitespace between tags that crispy's templates leave."""
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", str(html)))


def test_every_list_filter_field_reads_as_crispy_writes_it(client, admin_user, demo):
    client.force_login(admin_user)
    compared = 0
    for url in LISTS + FILTERED:
        context = client.get(url).context
        forms = [context["filter"].form] + ([context["nik_form"]] if "nik_form" in context else [])
        for form in forms:
            for field in form:
                assert normalised(filter_field(field)) == normalised(as_crispy_field(field)), (url, field.name)
                compared += 1
    assert compared > 60


def test_a_wrong_filter_value_is_marked_and_explained_under_its_field(client, admin_user, demo):
    client.force_login(admin_user)

    html = client.get(FILTERED[0]).content.decode()

    assert re.search(r'<select name="status" class="select form-select is-invalid" aria-invalid="true"', html)
    assert re.search(r'<div id="id_status_error" class="invalid-feedback"><p id="error_1_id_status"><strong>', html)
    assert re.search(r'<input type="text" name="q" value="&lt;b&gt;"', html)  # what was typed, escaped
    assert '<option value="mou" selected>' in html


def test_a_select_with_groups_and_an_empty_choice_reads_as_crispy_writes_it():
    from django import forms

    class GroupedForm(forms.Form):
        region = forms.ChoiceField(
            required=False,
            choices=[
                (None, "— Semua —"),
                ("Kalimantan", [("63.04", "Barito Kuala"), ("63.71", "Kota Banjarmasin & <sekitar>")]),
                ("11.01", "Simeulue"),
                (2024, 2024),
            ],
        )

    for data in ({}, {"region": "63.71"}, {"region": "2024"}, {"region": "tidak-ada"}):
        field = GroupedForm(data)["region"]
        assert normalised(filter_field(field)) == normalised(as_crispy_field(field)), data
    assert '<option value="63.71" selected>' in filter_field(GroupedForm({"region": "63.71"})["region"])
