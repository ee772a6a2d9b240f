"""Every write is recorded with who made it: through the forms, in bulk, and visible on the pages."""

import html
import re

import pghistory.models
from django.urls import reverse
from django.utils.html import strip_tags

from partners.models import Organisation
from percontohan.history import history_of
from tests.factories import OrganisationFactory
from tests.percontohan import organisation_form_data


def page_text(response):
    """The page as a reader sees it: no tags, entities decoded, runs of whitespace as one space."""
    return re.sub(r"\s+", " ", html.unescape(strip_tags(response.content.decode())))


def events_of(organisation):
    return list(pghistory.models.Events.objects.tracks(organisation).order_by("pgh_id"))


def create_through_the_form(client, **fields):
    data = {"name": "Dinas PMD Barito Kuala", "kind": "dinas", "province": "63", "regency": "63.04", **fields}
    response = client.post(reverse("partners:organisation_create"), data)
    assert response.status_code == 302, response.content.decode()
    return Organisation.objects.get(name=data["name"])


def test_creating_an_organisation_through_the_form_records_who_did_it(client, blm_user):
    client.force_login(blm_user)
    organisation = create_through_the_form(client)
    [event] = events_of(organisation)
    assert event.pgh_label == "insert"
    assert event.pgh_context["user"] == blm_user.pk
    assert event.pgh_context["username"] == blm_user.username
    assert event.pgh_context["url"] == reverse("partners:organisation_create")


def test_changing_an_organisation_through_the_form_records_the_change_and_the_editor(client, blm_user, admin_user):
    client.force_login(blm_user)
    organisation = create_through_the_form(client)
    client.force_login(admin_user)
    response = client.post(
        reverse("partners:organisation_update", args=[organisation.pk]),
        organisation_form_data(organisation, address="Jl. Trans Kalimantan Km 5, Marabahan"),
    )
    assert response.status_code == 302
    insert, update = events_of(organisation)
    assert update.pgh_label == "update"
    assert update.pgh_context["user"] == admin_user.pk
    assert update.pgh_diff["address"] == ["", "Jl. Trans Kalimantan Km 5, Marabahan"]
    assert insert.pgh_context["user"] == blm_user.pk


def test_a_bulk_update_is_recorded_too(db):
    first, second = OrganisationFactory(), OrganisationFactory()
    Organisation.objects.filter(pk__in=[first.pk, second.pk]).update(phone="0511-4799000")
    for organisation in (first, second):
        labels = [event.pgh_label for event in events_of(organisation)]
        assert labels == ["insert", "update"]
        assert events_of(organisation)[-1].pgh_diff["phone"] == ["", "0511-4799000"]


def test_a_delete_is_recorded_with_the_last_state(db):
    organisation = OrganisationFactory(name="Dinas Yang Dibubarkan")
    pk = organisation.pk
    organisation.delete()
    event = pghistory.models.Events.objects.filter(pgh_obj_model="partners.Organisation", pgh_obj_id=str(pk)).last()
    assert event.pgh_label == "delete"
    assert event.pgh_data["name"] == "Dinas Yang Dibubarkan"


def test_history_of_lists_events_newest_first_with_the_user_and_the_field_labels(client, blm_user):
    client.force_login(blm_user)
    organisation = create_through_the_form(client)
    client.post(
        reverse("partners:organisation_update", args=[organisation.pk]),
        organisation_form_data(organisation, phone="0511-4799000"),
    )
    update, insert = history_of(organisation)
    assert (update.kind, insert.kind) == ("update", "insert")
    assert update.user == blm_user
    # The version column is bookkeeping, not a change the user made.
    assert update.changes == [("telepon", "", "0511-4799000")]


def test_the_detail_page_shows_the_history_timeline(client, blm_user, pemda_user):
    client.force_login(blm_user)
    organisation = create_through_the_form(client)
    client.post(
        reverse("partners:organisation_update", args=[organisation.pk]),
        organisation_form_data(organisation, address="Jl. Trans Kalimantan Km 5"),
    )
    # Another reader of the same regency sees who changed what.
    client.force_login(pemda_user)
    content = page_text(client.get(organisation.get_absolute_url()))
    assert "Riwayat perubahan" in content
    timeline = content[content.index("Riwayat perubahan") :]
    assert f"Dibuat oleh {blm_user}" in timeline
    assert f"Diubah oleh {blm_user}" in timeline
    # The field's label (not its column name), then the old and the new value.
    assert "alamat: — → jl. trans kalimantan km 5" in timeline.lower()


def test_a_change_made_outside_a_request_is_shown_as_made_by_the_system(client, blm_user):
    organisation = OrganisationFactory()
    client.force_login(blm_user)
    assert "Dibuat oleh sistem" in page_text(client.get(organisation.get_absolute_url()))


def test_the_admin_change_page_links_to_the_record_history(client, admin_user):
    organisation = OrganisationFactory()
    client.force_login(admin_user)
    response = client.get(reverse("admin:partners_organisation_change", args=[organisation.pk]))
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert (
        f"{reverse('admin:pghistory_events_changelist')}?method=tracks&obj=partners.Organisation:{organisation.pk}"
        in (content)
    )


def test_the_admin_events_page_opens_for_the_record(client, admin_user):
    client.force_login(admin_user)
    organisation = create_through_the_form(client, name="Dinas Riwayat Admin")
    response = client.get(
        reverse("admin:pghistory_events_changelist"),
        {"method": "tracks", "obj": f"partners.Organisation:{organisation.pk}"},
    )
    assert response.status_code == 200
    assert "Dinas Riwayat Admin" in response.content.decode()


def test_the_admin_events_page_opens_for_all_events(client, admin_user):
    OrganisationFactory()
    client.force_login(admin_user)
    assert client.get(reverse("admin:pghistory_events_changelist")).status_code == 200
