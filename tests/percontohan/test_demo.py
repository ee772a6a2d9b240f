"""The demo as a whole: every app loads its own part, lowest layer first, and a second load changes nothing."""

from django.core.management import call_command
from django.utils import timezone

from agreements.models import Agreement, Commitment, CommitmentEvidence, Document, DocumentVersion, Signatory
from partners.models import Organisation
from percontohan.demo import demo_load
from percontohan.registry import app_modules
from villages.models import AreaMembership, PilotTransition, PilotVillage, ProgrammeArea, SelectionRound

VERSIONED = (Organisation, ProgrammeArea, PilotVillage, SelectionRound, Agreement, Commitment)
COUNTED = (Signatory, CommitmentEvidence, Document, DocumentVersion, AreaMembership, PilotTransition)


def snapshot():
    return {
        **{model.__name__: list(model.objects.order_by("pk").values_list("pk", "version")) for model in VERSIONED},
        **{model.__name__: model.objects.count() for model in COUNTED},
    }


def test_each_app_loads_its_own_part_of_the_demo_lowest_layer_first(db):
    assert [module.__name__ for module in app_modules("demo")] == [
        "regions.demo",
        "partners.demo",
        "villages.demo",
        "agreements.demo",
        "trainings.demo",
    ]


def test_loading_the_demo_again_changes_nothing(demo):
    before = snapshot()

    demo_load()

    assert snapshot() == before
    assert len(before["Agreement"]) == 4
    assert len(before["ProgrammeArea"]) == 2


def test_the_command_prints_one_login_per_role(demo, capsys):
    call_command("load_demo")

    out = capsys.readouterr().out
    for username in ("admin", "blm.banjarmasin", "pemda.baritokuala", "kementerian"):
        assert username in out


def test_nothing_of_the_programme_is_dated_the_day_the_demo_was_loaded(demo):
    today = timezone.localdate()
    decided = SelectionRound.objects.get().decided_at
    moments = [
        decided,
        *PilotTransition.objects.values_list("at", flat=True),
        *CommitmentEvidence.objects.values_list("uploaded_at", flat=True),
        *DocumentVersion.objects.values_list("uploaded_at", flat=True),
    ]

    assert all(timezone.localdate(moment) != today for moment in moments)
    assert timezone.localdate(decided).year == 2020


def test_demo_stays_out_of_titles_and_numbers(demo):
    texts = [
        *Agreement.objects.values_list("title", flat=True),
        *Agreement.objects.values_list("number", flat=True),
        *Document.objects.values_list("title", flat=True),
        *ProgrammeArea.objects.values_list("name", flat=True),
        *SelectionRound.objects.values_list("title", flat=True),
        *Organisation.objects.values_list("name", flat=True),
    ]

    assert texts
    assert not [text for text in texts if "demo" in text.lower()]
