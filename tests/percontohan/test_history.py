"""Every write is recorded with who made it: through the forms, in bulk, and visible on the pages."""

import datetime
import html
import re

import pghistory.models
from django.urls import reverse
from django.utils.html import strip_tags

from partners.models import Organisation
from percontohan.history import history_of
from regions.models import Regency
from tests.factories import OrganisationFactory, UserFactory
from tests.percontohan import organisation_form_data
from tests.villages.factories import BlmFactory, ProgrammeAreaFactory, SelectionRoundFactory
from villages.models import ProgrammeArea, SelectionRound


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
    # The version column is bookkeeping, not a change the user made; an empty value is shown as none.
    assert update.changes == [("telepon", None, "0511-4799000")]


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


def test_the_admin_change_page_has_one_history_button_to_the_records_history(client, admin_user):
    organisation = OrganisationFactory()
    client.force_login(admin_user)
    response = client.get(reverse("admin:partners_organisation_change", args=[organisation.pk]))
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    tools = content[content.index('class="object-tools"') :]
    tools = tools[: tools.index("</ul>")]
    history_url = reverse("admin:partners_organisation_history", args=[organisation.pk])
    assert re.findall(r'<a href="([^"]*)" class="historylink">\s*Riwayat\s*</a>', tools) == [history_url]
    # Neither pghistory's raw event list nor Django's (empty) log of admin actions.
    assert "events-admin" not in tools
    assert "event-admin" not in tools
    assert reverse("admin:pghistory_events_changelist") not in tools


def test_the_admin_history_is_the_one_the_record_page_shows(client, blm_user, admin_user):
    client.force_login(blm_user)
    organisation = create_through_the_form(client)
    client.post(
        reverse("partners:organisation_update", args=[organisation.pk]),
        organisation_form_data(organisation, address="Jl. Trans Kalimantan Km 5", kind="bumdes"),
    )
    client.force_login(admin_user)
    admin_page = page_text(client.get(reverse("admin:partners_organisation_history", args=[organisation.pk])))
    record_page = page_text(client.get(organisation.get_absolute_url()))

    def timeline(text):
        start = text.rindex("Riwayat perubahan")  # the admin's title says it too
        return text[start : text.index("Dibuat oleh", start)]

    assert "doesn’t have a change history" not in admin_page
    assert timeline(admin_page) == timeline(record_page)
    assert f"Diubah oleh {blm_user}" in timeline(admin_page)
    assert "Jenis: Dinas/OPD → BUMDes/BUMDes Bersama" in timeline(admin_page)


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


# --- History people can read ----------------------------------------------------------------------


def decide(round_, user, regency_code, blm):
    """Change a round the way a bulk write does (recorded by the triggers, outside any request)."""
    SelectionRound.objects.filter(pk=round_.pk).update(
        status="diputuskan",
        decided_by=user,
        decided_at=datetime.datetime(2020, 3, 10, 2, 30, tzinfo=datetime.UTC),
        regency=Regency.objects.get(code=regency_code),
        responsible_blm=blm,
    )


def test_a_change_names_related_records_choices_and_dates_as_the_portal_shows_them(db, admin_user):
    round_ = SelectionRoundFactory()
    blm = round_.responsible_blm
    other_blm = BlmFactory(name="BLM Yogyakarta")
    decide(round_, admin_user, "63.05", other_blm)

    update, _insert = history_of(round_)
    changes = {label: (before, after) for label, before, after in update.changes}
    # Labels, not column names (never "Decided_by_id").
    assert set(changes) == {
        "status",
        "diputuskan oleh",
        "diputuskan pada",
        "kabupaten/kota",
        "BLM penanggung jawab",
    }
    assert changes["diputuskan oleh"] == (None, str(admin_user))
    assert changes["status"] == ("Penilaian berjalan", "Sudah diputuskan")
    assert changes["kabupaten/kota"] == (
        str(Regency.objects.get(code="63.04")),
        str(Regency.objects.get(code="63.05")),
    )
    assert changes["BLM penanggung jawab"] == (blm.name, "BLM Yogyakarta")
    # 02.30 UTC is 09.30 in Jakarta, in the portal's date format.
    assert changes["diputuskan pada"] == (None, "10 Maret 2020, 09.30")


def test_dates_and_choices_read_as_words(db):
    area = ProgrammeAreaFactory()
    ProgrammeArea.objects.filter(pk=area.pk).update(established_on=datetime.date(2020, 3, 10), kind="ktm")
    update, _insert = history_of(area)
    changes = {label: (before, after) for label, before, after in update.changes}
    assert changes["tanggal penetapan"] == (None, "10 Maret 2020")
    assert changes["jenis kawasan"] == ("Kawasan perdesaan", "Kota Terpadu Mandiri (KTM)")


def test_a_related_record_deleted_since_is_named_as_deleted(db):
    round_ = SelectionRoundFactory()
    gone = BlmFactory(name="BLM Lama")
    SelectionRound.objects.filter(pk=round_.pk).update(responsible_blm=gone)
    SelectionRound.objects.filter(pk=round_.pk).update(responsible_blm=round_.responsible_blm)
    gone_pk = gone.pk
    Organisation.objects.filter(pk=gone_pk).delete()
    latest = history_of(round_)[0]
    assert latest.changes == [("BLM penanggung jawab", f"{gone_pk} (sudah dihapus)", round_.responsible_blm.name)]


def test_reading_a_history_costs_the_same_queries_however_long_it_grows(db, admin_user, django_assert_num_queries):
    round_ = SelectionRoundFactory()
    decide(round_, admin_user, "63.05", BlmFactory(name="BLM A"))
    # Events, users, regencies, organisations.
    with django_assert_num_queries(4):
        history_of(round_)
    for index, code in enumerate(["63.06", "63.07", "63.08", "63.09", "63.10"]):
        editor = UserFactory(username=f"editor-{index}")
        decide(round_, editor, code, BlmFactory(name=f"BLM {index}"))
    with django_assert_num_queries(4):
        events = history_of(round_)
    assert len(events) == 7
    assert all("sudah dihapus" not in str(change) for event in events for change in event.changes)
