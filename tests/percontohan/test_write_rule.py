"""The write rule (percontohan.scoping): who may change which record, before and after an edit.

Reading is `visible_to`; writing is `editable_by`: nobody but Admin and Staf BLM
changes anything, Admin (all of Indonesia) changes everything, and a BLM only the
records lying wholly inside its working area (Kalimantan Selatan and Tengah for
the `blm_user` fixture). Seen is not changed: a national or provincial
organisation, or an agreement also covering Aceh Selatan, is seen by the BLM and
changed by Admin only; and no edit may move a record out of the editor's scope.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from agreements.models import Agreement, Commitment, Document
from partners.models import Organisation, OrganisationKind
from percontohan.scoping import (
    OUT_OF_SCOPE_MESSAGE,
    can_edit,
    check_can_save,
    editable_regency_codes,
    get_editable_or_404,
)
from regions.models import Province, Regency
from tests.agreements.factories import AgreementFactory
from tests.agreements.factories_documents import document_with_version, make_agreement, make_commitment
from tests.factories import OrganisationFactory, UserFactory
from tests.percontohan import organisation_form_data
from tests.villages.factories import (
    ANDAMAN,
    KEUDE_BAKONGAN,
    AreaMembershipFactory,
    BlmFactory,
    PilotVillageFactory,
    ProgrammeAreaFactory,
    regency,
    round_with_criteria,
    village,
)
from villages.models import AreaMembership, PilotVillage, ProgrammeArea, SelectionCandidate, SelectionRound

READERS = ["pemda_user", "other_pemda_user", "ministry_user"]


def editable(model, user):
    return set(model.objects.editable_by(user).values_list("pk", flat=True))


@pytest.fixture
def organisations(db):
    aceh = Regency.objects.get(code="11.01")
    serving_aceh = OrganisationFactory(name="BLM lintas wilayah", kind=OrganisationKind.BLM)
    serving_aceh.working_area.set([Regency.objects.get(code="63.04"), aceh])
    return {
        "dinas": OrganisationFactory(name="Dinas PMD Barito Kuala"),
        "aceh": OrganisationFactory(name="Dinas PMD Aceh Selatan", regency=aceh),
        "national": OrganisationFactory(
            name="Biro Humas", kind=OrganisationKind.MINISTRY_UNIT, regency=None, province=None
        ),
        "provincial": OrganisationFactory(
            name="Pemerintah Provinsi Kalimantan Selatan",
            kind=OrganisationKind.PROVINCE_GOV,
            regency=None,
            province=Province.objects.get(code="63"),
        ),
        "ministry_in_a_regency": OrganisationFactory(name="UPT Kementerian di Barito Kuala", kind="kementerian"),
        "no_regency": OrganisationFactory(name="Komunitas tanpa wilayah", kind="kelompok", regency=None, province=None),
        "blm": BlmFactory(),
        "serving_aceh": serving_aceh,
    }


# --- Who may write at all ------------------------------------------------------


@pytest.mark.parametrize("user", READERS)
def test_a_role_that_only_reads_may_change_nothing(request, organisations, user):
    user = request.getfixturevalue(user)
    assert editable_regency_codes(user) == frozenset()
    assert not Organisation.objects.editable_by(user).exists()
    assert not can_edit(user, organisations["dinas"])


def test_an_inactive_editor_may_change_nothing(organisations):
    user = UserFactory(role="staf_blm", regencies=("63",), is_active=False)
    assert not Organisation.objects.editable_by(user).exists()


def test_admin_may_change_every_record(admin_user, organisations):
    assert editable(Organisation, admin_user) == {o.pk for o in organisations.values()}
    assert all(can_edit(admin_user, organisation) for organisation in organisations.values())


def test_a_blm_with_a_national_scope_may_change_every_record(organisations):
    user = UserFactory(role="staf_blm", national_scope=True)
    assert editable(Organisation, user) == {o.pk for o in organisations.values()}


# --- Organisations ----------------------------------------------------------------


def test_a_blm_changes_the_organisations_of_its_working_area_only(blm_user, organisations):
    assert editable(Organisation, blm_user) == {organisations["dinas"].pk, organisations["blm"].pk}


@pytest.mark.parametrize("name", ["national", "provincial", "ministry_in_a_regency", "no_regency", "serving_aceh"])
def test_a_blm_sees_but_may_not_change_an_organisation_that_is_not_wholly_its_own(blm_user, organisations, name):
    organisation = organisations[name]
    assert Organisation.objects.visible_to(blm_user).filter(pk=organisation.pk).exists()
    assert not can_edit(blm_user, organisation)
    with pytest.raises(PermissionDenied):
        get_editable_or_404(Organisation, blm_user, pk=organisation.pk)


def test_an_organisation_outside_the_working_area_is_not_found_for_a_blm(blm_user, organisations):
    with pytest.raises(Http404):
        get_editable_or_404(Organisation, blm_user, pk=organisations["aceh"].pk)


@pytest.mark.parametrize("user", READERS)
def test_a_reader_is_refused_before_the_record_is_looked_up(request, organisations, user):
    with pytest.raises(PermissionDenied):
        get_editable_or_404(Organisation, request.getfixturevalue(user), pk=organisations["aceh"].pk)


def test_a_list_annotates_each_row_with_the_same_rule(blm_user, organisations):
    rows = Organisation.objects.visible_to(blm_user).with_can_edit(blm_user)
    assert {o.pk for o in rows if o.can_edit} == editable(Organisation, blm_user)
    assert all(o.can_edit for o in Organisation.objects.with_can_edit(UserFactory(role="admin")))
    assert not any(o.can_edit for o in Organisation.objects.with_can_edit(UserFactory(role="kementerian")))


def test_a_saved_record_moved_out_of_the_working_area_is_refused(blm_user, organisations):
    dinas = organisations["dinas"]
    check_can_save(blm_user, dinas)
    Organisation.objects.filter(pk=dinas.pk).update(regency="11.01", province="11")
    with pytest.raises(ValidationError) as raised:
        check_can_save(blm_user, dinas)
    assert raised.value.messages == [str(OUT_OF_SCOPE_MESSAGE)]


# --- Organisations through their pages ----------------------------------------------


def test_a_blm_cannot_open_or_save_the_form_of_a_national_organisation(client, blm_user, organisations):
    national = organisations["national"]
    url = reverse("partners:organisation_update", args=[national.pk])
    client.force_login(blm_user)

    assert client.get(url).status_code == 403
    response = client.post(url, organisation_form_data(national, regency="63.04", province="63"))

    assert response.status_code == 403
    national.refresh_from_db()
    assert national.regency_id is None
    assert national.version == 1
    # It stays in everyone's lists.
    assert Organisation.objects.visible_to(UserFactory(role="pejabat_pemda", regencies=("11.01",))).filter(
        pk=national.pk
    )


def test_the_organisation_page_offers_the_edit_button_only_to_who_may_change_it(
    client, blm_user, admin_user, organisations
):
    national, dinas = organisations["national"], organisations["dinas"]
    edit_dinas, edit_national = (reverse("partners:organisation_update", args=[o.pk]) for o in (dinas, national))
    client.force_login(blm_user)
    assert edit_dinas in client.get(dinas.get_absolute_url()).text
    assert edit_national not in client.get(national.get_absolute_url()).text
    client.force_login(admin_user)
    assert edit_national in client.get(national.get_absolute_url()).text


def test_a_blm_cannot_move_its_organisation_to_another_province(client, blm_user, organisations):
    dinas = organisations["dinas"]
    client.force_login(blm_user)

    response = client.post(
        reverse("partners:organisation_update", args=[dinas.pk]),
        organisation_form_data(dinas, regency="11.01", province="11"),
    )

    assert response.status_code == 200
    assert "regency" in response.context["form"].errors
    dinas.refresh_from_db()
    assert (dinas.regency_id, dinas.version) == ("63.04", 1)


def test_a_blm_cannot_turn_its_organisation_into_a_national_body(client, blm_user, organisations):
    dinas = organisations["dinas"]
    client.force_login(blm_user)
    url = reverse("partners:organisation_update", args=[dinas.pk])

    response = client.post(url, organisation_form_data(dinas, kind=OrganisationKind.MINISTRY_UNIT))

    assert response.status_code == 200
    assert str(OUT_OF_SCOPE_MESSAGE) in response.content.decode()
    dinas.refresh_from_db()
    assert (dinas.kind, dinas.version) == (OrganisationKind.DINAS, 1)
    # The form read at version 1 is still good: corrected, it saves.
    assert 'name="version" value="1"' in response.content.decode()
    assert client.post(url, organisation_form_data(dinas, address="Jalan Baru 1")).status_code == 302


def test_a_blm_cannot_make_its_organisation_serve_another_province(client, blm_user, organisations):
    dinas = organisations["dinas"]
    client.force_login(blm_user)

    response = client.post(
        reverse("partners:organisation_update", args=[dinas.pk]),
        organisation_form_data(dinas, working_area=["63.04", "11.01"]),
    )

    assert response.status_code == 200
    assert not dinas.working_area.exists()


def test_a_blm_cannot_record_a_new_national_body(client, blm_user):
    client.force_login(blm_user)

    response = client.post(
        reverse("partners:organisation_create"),
        {"name": "Biro Baru", "kind": "unit_kementerian", "province": "63", "regency": "63.04"},
    )

    assert response.status_code == 200
    assert str(OUT_OF_SCOPE_MESSAGE) in response.content.decode()
    assert not Organisation.objects.filter(name="Biro Baru").exists()
    # The form is still a form for a new record.
    assert 'name="version"' not in response.content.decode()


def test_admin_may_move_an_organisation_anywhere(client, admin_user, organisations):
    dinas = organisations["dinas"]
    client.force_login(admin_user)

    response = client.post(
        reverse("partners:organisation_update", args=[dinas.pk]),
        organisation_form_data(dinas, regency="11.01", province="11"),
    )

    assert response.status_code == 302
    dinas.refresh_from_db()
    assert dinas.regency_id == "11.01"


# --- Agreements and what hangs under them ------------------------------------------------


@pytest.fixture
def agreements(db):
    spanning = make_agreement("63.04")
    spanning.regencies.add(Regency.objects.get(code="11.01"))
    through_a_village = make_agreement("63.04")
    through_a_village.villages.set([village(KEUDE_BAKONGAN)])
    return {
        "barito_kuala": make_agreement("63.04"),
        "aceh": make_agreement("11.01"),
        "spanning": spanning,
        "through_a_village": through_a_village,
        "nowhere": AgreementFactory(regencies=[]),
    }


def test_a_blm_changes_an_agreement_only_when_everything_it_covers_is_in_its_working_area(blm_user, agreements):
    assert editable(Agreement, blm_user) == {agreements["barito_kuala"].pk}
    visible = set(Agreement.objects.visible_to(blm_user).values_list("pk", flat=True))
    assert {agreements["spanning"].pk, agreements["through_a_village"].pk} <= visible


def test_an_agreement_covering_no_region_is_changed_by_admin_only(blm_user, admin_user, agreements):
    assert not can_edit(blm_user, agreements["nowhere"])
    assert can_edit(admin_user, agreements["nowhere"])


def test_commitments_and_documents_are_changed_with_their_agreement(blm_user, agreements):
    for agreement in agreements.values():
        make_commitment(agreement)
        document_with_version(agreement)
    barito_kuala = agreements["barito_kuala"]
    assert editable(Commitment, blm_user) == set(barito_kuala.commitments.values_list("pk", flat=True))
    assert editable(Document, blm_user) == set(barito_kuala.documents.values_list("pk", flat=True))


def test_a_blm_gets_no_forms_on_the_page_of_a_commitment_it_may_not_change(client, blm_user, agreements):
    commitment = make_commitment(agreements["spanning"])
    client.force_login(blm_user)

    page = client.get(commitment.get_absolute_url())

    assert page.status_code == 200
    assert page.context["can_edit"] is False
    assert page.context["status_form"] is None
    response = client.post(reverse("agreements:commitment_evidence_add", args=[commitment.pk]), {"note": "Laporan"})
    assert response.status_code == 403
    assert not commitment.evidence.exists()


def test_a_blm_may_not_sign_an_agreement_also_covering_another_region(client, blm_user, agreements):
    agreement = agreements["spanning"]
    client.force_login(blm_user)

    response = client.post(reverse("agreements:agreement_sign", args=[agreement.pk]), {"signed_on": "2020-03-10"})

    assert response.status_code == 403
    assert Agreement.objects.get(pk=agreement.pk).status == agreement.status


# --- Programme areas, pilot villages, site selection ---------------------------------------------


def test_a_blm_changes_the_areas_pilots_and_rounds_of_its_working_area_only(blm_user):
    area = ProgrammeAreaFactory()
    aceh_area = ProgrammeAreaFactory(name="Kawasan Bakongan", regency=regency("11.01"))
    membership = AreaMembershipFactory(area=area, village=village(ANDAMAN))
    AreaMembershipFactory(area=aceh_area, village=village(KEUDE_BAKONGAN))
    pilot = PilotVillageFactory(village=village(ANDAMAN), programme_area=area)
    PilotVillageFactory(village=village(KEUDE_BAKONGAN))
    round_ = round_with_criteria()
    round_with_criteria(title="Seleksi Aceh Selatan", regency=regency("11.01"), villages=(KEUDE_BAKONGAN,))

    assert editable(ProgrammeArea, blm_user) == {area.pk}
    assert editable(AreaMembership, blm_user) == {membership.pk}
    assert editable(PilotVillage, blm_user) == {pilot.pk}
    assert editable(SelectionRound, blm_user) == {round_.pk}
    assert editable(SelectionCandidate, blm_user) == set(round_.candidates.values_list("pk", flat=True))


def test_a_blm_cannot_move_an_area_to_another_province(client, blm_user):
    area = ProgrammeAreaFactory()
    client.force_login(blm_user)

    response = client.post(
        reverse("villages:area_update", args=[area.pk]),
        {"name": area.name, "kind": area.kind, "regency": "11.01", "version": area.version},
    )

    assert response.status_code == 200
    area.refresh_from_db()
    assert area.regency_id == "63.04"


def test_regions_are_reference_data_changed_by_admin_only(blm_user, admin_user):
    assert not Regency.objects.editable_by(blm_user).exists()
    assert Regency.objects.editable_by(admin_user).filter(code="63.04").exists()
