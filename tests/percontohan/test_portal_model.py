"""Every portal model loads its rows without Model.__init__ (percontohan.records.PortalModel), and the
instances are Django's own: the same values, not new, saved as the row they are; Django's way still runs
where it does more (init signals, a model's own __init__)."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import post_init
from django.test.utils import isolate_apps

from agreements.models import Commitment
from percontohan.records import PortalModel
from regions.models import Village

PORTAL_MODELS = sorted(
    (model for model in apps.get_models() if issubclass(model, PortalModel)), key=lambda model: model._meta.label
)


def django_from_db(model, values):
    return models.Model.from_db.__func__(model, "default", [f.attname for f in model._meta.concrete_fields], values)


def portal_from_db(model, values):
    return model.from_db("default", [f.attname for f in model._meta.concrete_fields], values)


def test_every_domain_model_is_a_portal_model():
    labels = {model._meta.label for model in PORTAL_MODELS}
    assert {"regions.Village", "villages.PilotVillage", "agreements.Commitment", "trainings.Person"} <= labels
    assert {"percontohan.Notification", "villages.IndexScore", "agreements.DocumentVersion"} <= labels


@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda model: model._meta.label)
def test_an_instance_is_the_one_django_makes(model):
    # One distinct value per field: each must land on its own attribute.
    values = [f"value {position}" for position, _field in enumerate(model._meta.concrete_fields)]

    ours, djangos = portal_from_db(model, values), django_from_db(model, values)

    assert type(ours) is model
    assert {key: value for key, value in vars(ours).items() if key != "_state"} == {
        key: value for key, value in vars(djangos).items() if key != "_state"
    }
    assert (ours._state.adding, ours._state.db, ours._state.fetch_mode) == (
        djangos._state.adding,
        djangos._state.db,
        djangos._state.fetch_mode,
    )


def test_rows_read_through_the_orm_with_their_regions(db):
    village = Village.objects.select_related("district__regency__province").get(code="63.04.03.2011")

    assert village._state.adding is False and village._state.db == "default"
    assert village.district.regency.province.code == "63"
    assert village.district.regency.code == "63.04"
    assert village.get_absolute_url().endswith("/63.04.03.2011/")


def test_a_record_so_loaded_saves_as_the_row_it_is(demo):
    commitment = Commitment.objects.order_by("pk").first()
    version = commitment.version
    commitment.description = "Menyediakan tenaga pendamping desa"
    commitment.save()

    commitment.refresh_from_db()
    assert commitment.description == "Menyediakan tenaga pendamping desa"
    assert commitment.version == version + 1  # updated with its version checked, not inserted again
    assert Commitment.objects.filter(description="Menyediakan tenaga pendamping desa").count() == 1


@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda model: model._meta.label)
def test_an_instance_with_deferred_fields_is_the_one_django_makes(model):
    # Every other field loaded, from the second: the others are deferred.
    loaded = [field.attname for field in model._meta.concrete_fields][1::2]
    values = [f"value {position}" for position, _name in enumerate(loaded)]

    ours = model.from_db("default", loaded, values)
    djangos = models.Model.from_db.__func__(model, "default", loaded, values)

    assert {key: value for key, value in vars(ours).items() if key != "_state"} == {
        key: value for key, value in vars(djangos).items() if key != "_state"
    }
    assert ours.get_deferred_fields() == djangos.get_deferred_fields()
    assert ours._state.adding is False


def test_deferred_fields_are_read_when_asked(db, django_assert_num_queries):
    village = Village.objects.only("code").get(code="63.04.03.2011")

    assert village.get_deferred_fields() == {"name", "retired_on", "district_id"}
    with django_assert_num_queries(1):
        assert village.district_id == "63.04.03"
    assert village.get_deferred_fields() == {"name", "retired_on"}


def test_an_init_signal_receiver_still_sees_every_instance(db):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.code)

    post_init.connect(receiver, sender=Village)
    try:
        list(Village.objects.filter(code__startswith="63.04.03.").order_by("code")[:3])
    finally:
        post_init.disconnect(receiver, sender=Village)

    assert seen == list(
        Village.objects.filter(code__startswith="63.04.03.").order_by("code").values_list("code", flat=True)[:3]
    )


@isolate_apps("percontohan")
def test_a_model_with_its_own_init_is_loaded_through_it():
    class Counted(PortalModel):
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "percontohan"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loaded_name = self.name

    record = portal_from_db(Counted, [1, "Barambai"])

    assert (record.pk, record.name, record.loaded_name) == (1, "Barambai", "Barambai")
    assert record._state.adding is False
