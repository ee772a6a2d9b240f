"""Optimistic locking: a stale edit is refused with a clear message, and concurrent saves lose nothing."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from partners.models import Organisation
from percontohan.history import StaleRecordError
from tests.factories import OrganisationFactory
from tests.percontohan import organisation_form_data

WRITERS = 20
STALE_MESSAGE = "Data ini telah diubah oleh pengguna lain sejak Anda membukanya."


def test_the_edit_form_carries_the_version_it_was_read_at(client, blm_user):
    organisation = OrganisationFactory()
    client.force_login(blm_user)
    content = client.get(reverse("partners:organisation_update", args=[organisation.pk])).content.decode()
    assert '<input type="hidden" name="version" value="1">' in content


def test_each_save_moves_the_version_on(db):
    organisation = OrganisationFactory()
    assert organisation.version == 1
    organisation.address = "Jalan 1"
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.version == 2


def test_it_refuses_a_stale_edit_and_changes_nothing(client, blm_user, admin_user):
    organisation = OrganisationFactory(address="Jalan Lama")
    stale_form = organisation_form_data(organisation, address="Perubahan saya")
    # Someone else saves while the form is open.
    client.force_login(admin_user)
    response = client.post(
        reverse("partners:organisation_update", args=[organisation.pk]),
        organisation_form_data(organisation, address="Perubahan rekan"),
    )
    assert response.status_code == 302

    client.force_login(blm_user)
    response = client.post(reverse("partners:organisation_update", args=[organisation.pk]), stale_form)
    assert response.status_code == 200
    content = response.content.decode()
    assert STALE_MESSAGE in content
    assert str(StaleRecordError.message) in content
    organisation.refresh_from_db()
    assert organisation.address == "Perubahan rekan"
    assert organisation.version == 2


def test_a_stale_edit_keeps_what_the_user_typed_so_it_can_be_redone(client, blm_user):
    organisation = OrganisationFactory()
    client.force_login(blm_user)
    stale_form = organisation_form_data(organisation, address="Alamat yang saya ketik")
    organisation.phone = "0511-1"
    organisation.save()
    content = client.post(reverse("partners:organisation_update", args=[organisation.pk]), stale_form).content.decode()
    assert "Alamat yang saya ketik" in content


def test_an_edit_without_a_version_is_refused(client, blm_user):
    organisation = OrganisationFactory(address="Jalan Lama")
    client.force_login(blm_user)
    form = organisation_form_data(organisation, address="Tanpa versi")
    del form["version"]
    response = client.post(reverse("partners:organisation_update", args=[organisation.pk]), form)
    assert STALE_MESSAGE in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.address == "Jalan Lama"


def test_saving_a_stale_copy_in_code_raises(db):
    organisation = OrganisationFactory()
    stale = Organisation.objects.get(pk=organisation.pk)
    organisation.address = "Pertama"
    organisation.save()
    stale.address = "Kedua"
    with pytest.raises(StaleRecordError):
        stale.save()
    # The failed save leaves the stale copy's version as it was read.
    assert stale.version == 1
    organisation.refresh_from_db()
    assert organisation.address == "Pertama"


def run_writers(work):
    """Run `work(index)` in WRITERS threads, each with its own database connection; return the errors."""
    errors = []

    def target(index):
        try:
            work(index)
        except Exception as error:  # any failure is reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return errors


def test_twenty_concurrent_saves_of_one_record_lose_no_update(committed_regions):
    organisation = OrganisationFactory(address="")
    retries = []

    def append_marker(index):
        while True:
            fresh = Organisation.objects.get(pk=organisation.pk)
            fresh.address += f"[{index}]"
            try:
                fresh.save()
                return
            except StaleRecordError:
                retries.append(index)

    assert run_writers(append_marker) == []
    organisation.refresh_from_db()
    for index in range(WRITERS):
        assert f"[{index}]" in organisation.address
    assert len(organisation.address) == sum(len(f"[{index}]") for index in range(WRITERS))
    assert organisation.version == WRITERS + 1


def test_of_twenty_writers_who_read_the_same_version_exactly_one_wins(committed_regions):
    organisation = OrganisationFactory(address="Awal")
    barrier = threading.Barrier(WRITERS, timeout=60)
    winners, losers = [], []

    def save_once(index):
        fresh = Organisation.objects.get(pk=organisation.pk)
        fresh.address = f"Ditulis oleh penulis {index}"
        barrier.wait()
        try:
            fresh.save()
        except StaleRecordError:
            losers.append(index)
        else:
            winners.append(index)

    assert run_writers(save_once) == []
    assert len(winners) == 1
    assert len(losers) == WRITERS - 1
    organisation.refresh_from_db()
    assert organisation.address == f"Ditulis oleh penulis {winners[0]}"
    assert organisation.version == 2
