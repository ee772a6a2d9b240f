"""Forms that help: one allowed option comes preselected, villages are picked by typing a name or code,
multi-selects need no Ctrl-click, a long form lists its errors at the top, and an edit form carries its version."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from agreements.forms import AgreementForm, party_formset
from percontohan import forms as portal_forms
from regions.forms import VillageChoiceField, regency_choices, village_choices, village_label
from regions.models import Regency, Village
from tests.factories import OrganisationFactory, UserFactory
from tests.villages.factories import ANDAMAN, ProgrammeAreaFactory, SelectionRoundFactory, village
from villages.forms_programme import PilotProposeForm, PilotRegencyForm
from villages.forms_selection import CriterionFormSet


@pytest.fixture
def one_regency_blm(db):
    """A BLM officer whose working area is Barito Kuala alone."""
    return UserFactory(role="staf_blm", username="blm-batola", regencies=("63.04",))


class ColourForm(portal_forms.Form):
    colour = forms.ChoiceField(label="Warna", choices=[("", "—"), ("merah", "Merah")])
    shade = forms.ChoiceField(label="Corak", choices=[("", "—"), ("muda", "Muda")], required=False)
    size = forms.ChoiceField(label="Ukuran", choices=[("kecil", "Kecil"), ("besar", "Besar")])


# --- One allowed option is preselected ------------------------------------------------------------


def test_a_required_choice_with_one_allowed_option_comes_preselected(one_regency_blm):
    form = PilotRegencyForm(user=one_regency_blm)
    assert form["regency"].value() == "63.04"
    assert re.search(r'<option value="63.04" selected>', str(form["regency"]))


def test_a_choice_with_several_allowed_options_waits_for_the_user(blm_user):
    assert PilotRegencyForm(user=blm_user)["regency"].value() is None


def test_an_optional_choice_is_never_chosen_for_the_user(one_regency_blm):
    ProgrammeAreaFactory(name="Kawasan Perdesaan Anjir Pasar")
    form = PilotProposeForm(user=one_regency_blm, regency="63.04")
    assert form.fields["programme_area"].queryset.count() == 1
    assert form["programme_area"].value() is None


def test_only_the_options_the_widget_offers_count():
    form = ColourForm()
    assert form["colour"].value() == "merah"
    assert form["shade"].value() is None  # optional
    assert form["size"].value() is None  # two options
    narrowed = ColourForm()
    narrowed.fields["size"].widget.choices = [("besar", "Besar")]
    assert narrowed["size"].value() == "besar"


def test_a_submitted_form_keeps_what_was_sent():
    form = ColourForm(data={"colour": "", "size": "kecil"})
    assert not form.is_valid()
    assert form["colour"].value() == ""
    assert "colour" in form.errors


def test_a_value_given_by_the_form_is_not_replaced(blm_user):
    form = PilotRegencyForm(user=blm_user, initial={"regency": "62.01"})
    assert form["regency"].value() == "62.01"


def test_the_empty_rows_of_a_formset_stay_empty(other_pemda_user):
    aceh_selatan = Regency.objects.get(code="11.01")
    OrganisationFactory(name="Dinas PMD Aceh Selatan", regency=aceh_selatan)
    formset = party_formset(instance=AgreementForm.Meta.model(), user=other_pemda_user, extra=2)
    for form in formset.forms:
        assert len(form.fields["organisation"].choices) == 2  # the empty choice and the one organisation
        assert form["organisation"].value() is None


def test_a_long_list_is_not_read_to_learn_that_it_has_more_than_one_option(blm_user, django_assert_num_queries):
    form = PilotRegencyForm(user=blm_user)
    with django_assert_num_queries(1):
        assert form["regency"].value() is None


# --- The village picker ---------------------------------------------------------------------------


def test_a_village_is_shown_with_its_kecamatan_and_code(db):
    class VillageForm(portal_forms.Form):
        village = VillageChoiceField(queryset=Village.objects.filter(code=ANDAMAN).select_related("district"))

    assert village_label(village(ANDAMAN)) == "Andaman — Kec. Anjir Pasar (63.04.03.2001)"
    html = str(VillageForm()["village"])
    assert 'data-picker="village"' in html
    assert "Andaman — Kec. Anjir Pasar (63.04.03.2001)" in html


def test_the_villages_offered_are_the_current_ones_of_the_regency_in_the_users_scope(pemda_user, other_pemda_user):
    offered = village_choices(pemda_user, "63.04")
    assert offered.count() == 201
    assert all(code.startswith("63.04.") for code in offered.values_list("code", flat=True))
    assert not village_choices(other_pemda_user, "63.04").exists()
    Village.objects.filter(code=ANDAMAN).update(retired_on="2024-01-01")
    assert not village_choices(pemda_user, ["63.04", "63.05"]).filter(code=ANDAMAN).exists()


def test_the_regencies_offered_are_those_in_the_users_scope(pemda_user):
    assert list(regency_choices(pemda_user).values_list("code", flat=True)) == ["63.04"]


def test_the_agreement_village_picker_searches_the_regencies_chosen_on_the_page(blm_user):
    form = AgreementForm(user=blm_user)
    attrs = form.fields["villages"].widget.attrs
    assert attrs["data-picker"] == "village"
    assert attrs["data-search-url"] == reverse("regions:village_search")
    assert attrs["data-regencies-from"] == form["regencies"].auto_id == "id_regencies"


def test_every_multi_select_becomes_a_picker_needing_no_ctrl_click(blm_user):
    form = AgreementForm(user=blm_user)
    assert form.fields["regencies"].widget.attrs["data-picker"] == "multi"
    assert form.fields["areas"].widget.attrs["data-picker"] == "multi"
    for field in form.fields.values():
        assert "Ctrl" not in str(field.help_text)


def test_the_candidate_form_picks_villages_of_the_rounds_regency_by_typing(client, blm_user):
    round_ = SelectionRoundFactory()
    client.force_login(blm_user)
    html = client.get(reverse("villages:round_candidates", args=[round_.pk])).content.decode()
    assert re.search(r'<select name="villages"[^>]*data-picker="village"', html)
    assert "Ctrl" not in html


def test_every_page_loads_the_picker_script_without_inline_code(client, blm_user):
    client.force_login(blm_user)
    html = client.get(reverse("villages:area_create")).content.decode()
    assert re.search(r'<script src="[^"]*js/forms\.js"', html)
    assert "vendor/tom-select/tom-select.complete.min.js" in html
    assert "vendor/tom-select/LICENSE" not in html


# --- The error summary ----------------------------------------------------------------------------


def test_a_form_sent_with_mistakes_lists_them_at_the_top_with_links_to_the_fields(client, blm_user):
    client.force_login(blm_user)
    response = client.post(reverse("villages:area_create"), {"name": "", "kind": "", "regency": ""})
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index('id="form-error-summary"') : html.index("</div>", html.index('id="form-error-summary"'))]
    assert "Belum tersimpan: 3 isian perlu diperbaiki." in summary
    for field_id in ("id_name", "id_kind", "id_regency"):
        assert f'href="#{field_id}"' in summary
    # The summary comes before the fields it names.
    assert html.index('id="form-error-summary"') < html.index('id="id_name"')


def test_a_form_shown_for_the_first_time_has_no_error_summary(client, blm_user):
    client.force_login(blm_user)
    assert 'id="form-error-summary"' not in client.get(reverse("villages:area_create")).content.decode()


def test_the_summary_names_the_row_of_a_formset_and_the_formsets_own_errors(db):
    round_ = SelectionRoundFactory()
    data = {
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-name": "Kesiapan desa",
        "criteria-0-weight": "abc",
        "criteria-1-name": "",
        "criteria-1-weight": "",
    }
    formset = CriterionFormSet(data, instance=round_, prefix="criteria")
    assert not formset.is_valid()
    formset.add_non_form_error(forms.ValidationError("Jumlah bobot harus 100%."))
    html = Template("{% load portal %}{% form_errors formset %}").render(Context({"formset": formset}))
    assert "Belum tersimpan: 2 isian perlu diperbaiki." in html
    assert 'href="#id_criteria-0-weight"' in html
    assert "baris 1" in html
    assert "Jumlah bobot harus 100%." in html


def test_a_hidden_field_is_named_without_a_link():
    class HiddenForm(portal_forms.Form):
        token = forms.CharField(widget=forms.HiddenInput)

    html = Template("{% load portal %}{% form_errors form %}").render(Context({"form": HiddenForm(data={})}))
    assert "Token" in html
    assert 'href="#' not in html


# --- The version an edit form was read at ---------------------------------------------------------


def test_an_edit_form_carries_the_version_it_was_read_at_and_a_new_one_none(client, blm_user):
    area = ProgrammeAreaFactory()
    client.force_login(blm_user)
    edit = client.get(reverse("villages:area_update", args=[area.pk])).content.decode()
    assert f'<input type="hidden" name="version" value="{area.version}">' in edit
    assert 'name="version"' not in client.get(reverse("villages:area_create")).content.decode()
