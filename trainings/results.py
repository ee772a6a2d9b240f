"""What trainings achieved, Kirkpatrick levels 1–4, for any set of enrolments (a batch, a programme, a BLM,
the regency of the participants' villages or of the venue), as a whole or one row per group.

- Completion: participants holding a place, and how many of those decided completed.
- L1 reaction: the mean of the four 1–5 items of each participant's reaction form, and each item's mean.
- L2 learning: mean pre-test and post-test of the participants who took both, and the normalised gain
  ⟨g⟩ — the mean of the individual gains (post − pre) / (100 − pre) of those whose pre-test was below 100.
- L3 behaviour: per wave, the % who applied the training (yes or partly) among those reached, always
  with the response rate beside it (answers from participants reached / follow-ups due).
- L4 results: participants who started a business, the median change of household income per month
  (after − before, the latest answer of each participant who gave both), village-level results by kind.

Whatever the number of groups or participants, a result takes five aggregate queries (and one more for
the list of village results when it is asked for). Callers pass enrolments already scoped to the user
(`counted_enrolments`): nobody outside the user's scope is ever counted.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Aggregate, Avg, Count, Exists, F, FloatField, OuterRef, Q, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trainings.followups import with_people_visible_to
from trainings.models import (
    HOLDING_PLACE,
    Applied,
    BatchStatus,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    FollowUpWave,
    Reaction,
    VillageResultKind,
)

KEY = "grouping_key"
# The village-level results listed on a page (all are counted by kind).
VILLAGE_LIST_MAX = 200

# How results can be grouped: the path from an enrolment to the group's key.
GROUPINGS = {
    "programme": _("Program"),
    "batch": _("Angkatan"),
    "blm": _("BLM penyelenggara"),
    "regency": _("Kabupaten/kota asal peserta"),
    "venue": _("Kabupaten/kota tempat pelatihan"),
}

# Hake's bands of the normalised gain.
GAIN_BANDS = ((Decimal("0.7"), _("tinggi")), (Decimal("0.3"), _("sedang")), (Decimal("-1000"), _("rendah")))


class Median(Aggregate):
    """PostgreSQL's continuous median of a numeric expression."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


def group_key(grouping, prefix=""):
    """The expression giving each row its group (`prefix` leads from the row to its enrolment)."""
    if grouping is None:
        return Value(0)
    if grouping == "venue":
        # The venue village's regency, or the BLM's own when the batch is held at the BLM.
        return Coalesce(F(f"{prefix}batch__venue_village__district__regency"), F(f"{prefix}batch__blm__regency"))
    path = {
        "programme": "batch__programme",
        "batch": "batch",
        "blm": "batch__blm",
        "regency": "person__village__district__regency",
    }[grouping]
    return F(f"{prefix}{path}")


def counted_enrolments(user):
    """The enrolments results count for `user`: holding a place, in a batch the user sees, of a
    participant the user sees (waiting lists and withdrawals are not results)."""
    enrolments = Enrolment.objects.visible_to(user).filter(status__in=HOLDING_PLACE)
    return with_people_visible_to(enrolments, user)


def pct(part, whole):
    """`part` as a percentage of `whole`, to one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _decimal(value, places="0.01"):
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


@dataclass
class Wave:
    """Level 3 at one wave: follow-ups due, answers from participants reached, and those who applied."""

    wave: int
    due: int = 0
    reached: int = 0
    applied: int = 0

    @property
    def label(self):
        return FollowUpWave(self.wave).label

    @property
    def applied_pct(self):
        return pct(self.applied, self.reached)

    @property
    def response_rate(self):
        return pct(self.reached, self.due)


@dataclass
class Results:
    """Levels 1–4 of one set of enrolments (see the module's docstring)."""

    participants: int = 0
    completed: int = 0
    decided: int = 0
    reaction_n: int = 0
    reaction_mean: Decimal | None = None
    reaction_items: dict = field(default_factory=dict)
    scores_n: int = 0
    pre_mean: Decimal | None = None
    post_mean: Decimal | None = None
    gain_n: int = 0
    gain_mean: Decimal | None = None
    waves: dict = field(default_factory=lambda: {wave: Wave(wave) for wave in FollowUpWave.values})
    businesses: int = 0
    income_n: int = 0
    income_median: Decimal | None = None
    village_counts: list = field(default_factory=list)
    village_results: list | None = None

    @property
    def completion_rate(self):
        return pct(self.completed, self.decided)

    @property
    def gain_band(self):
        if self.gain_mean is None:
            return None
        return next(label for bound, label in GAIN_BANDS if self.gain_mean >= bound)

    @property
    def village_total(self):
        return sum(count for _label, count in self.village_counts)

    @property
    def wave_list(self):
        return [self.waves[wave] for wave in sorted(self.waves)]


def results_by(enrolments, grouping=None, *, detailed=False, today=None):
    """{group key: Results} for the enrolments, one entry per group that has any (key 0 when not grouped).

    `detailed` also lists the village-level results themselves (newest first).
    """
    today = today or timezone.localdate()
    enrolments = enrolments.order_by()
    results = defaultdict(Results)
    _enrolment_figures(results, enrolments, grouping)
    _reaction_figures(results, enrolments, grouping)
    follow_ups = FollowUp.objects.filter(enrolment__in=enrolments.values("pk")).order_by()
    _follow_up_figures(results, follow_ups, grouping, today)
    _income_figures(results, follow_ups, grouping)
    _village_figures(results, follow_ups, grouping, detailed=detailed)
    return dict(results)


def results_for(enrolments, *, detailed=False, today=None):
    """The Results of the enrolments as one set."""
    return results_by(enrolments, None, detailed=detailed, today=today).get(0) or Results(
        village_results=[] if detailed else None
    )


def _grouped(queryset, grouping, prefix=""):
    return queryset.annotate(**{KEY: group_key(grouping, prefix)}).values(KEY)


def _as_float(expression):
    return Cast(expression, FloatField())


def _enrolment_figures(results, enrolments, grouping):
    paired = Q(pre_test__isnull=False, post_test__isnull=False)
    gains = paired & Q(pre_test__lt=100)
    gain = _as_float(F("post_test") - F("pre_test")) / _as_float(Value(100) - F("pre_test"))
    rows = _grouped(enrolments, grouping).annotate(
        participants=Count("pk"),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        decided=Count("pk", filter=Q(status__in=(EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED))),
        scores_n=Count("pk", filter=paired),
        pre_mean=Avg("pre_test", filter=paired),
        post_mean=Avg("post_test", filter=paired),
        gain_n=Count("pk", filter=gains),
        gain_mean=Avg(gain, filter=gains),
    )
    for row in rows:
        result = results[row[KEY]]
        result.participants, result.completed, result.decided = row["participants"], row["completed"], row["decided"]
        result.scores_n, result.gain_n = row["scores_n"], row["gain_n"]
        result.pre_mean, result.post_mean = _decimal(row["pre_mean"], "0.1"), _decimal(row["post_mean"], "0.1")
        result.gain_mean = _decimal(row["gain_mean"])


REACTION_ITEMS = ("content", "trainer", "venue", "usefulness")


def _reaction_figures(results, enrolments, grouping):
    reactions = Reaction.objects.filter(enrolment__in=enrolments.values("pk")).order_by()
    total = sum((F(item) for item in REACTION_ITEMS[1:]), F(REACTION_ITEMS[0]))
    rows = _grouped(reactions, grouping, "enrolment__").annotate(
        n=Count("pk"),
        mean=Avg(_as_float(total) / len(REACTION_ITEMS)),
        **{item: Avg(item) for item in REACTION_ITEMS},
    )
    labels = {item: Reaction._meta.get_field(item).verbose_name for item in REACTION_ITEMS}
    for row in rows:
        result = results[row[KEY]]
        result.reaction_n, result.reaction_mean = row["n"], _decimal(row["mean"])
        result.reaction_items = {labels[item]: _decimal(row[item]) for item in REACTION_ITEMS}


def _answered():
    return Q(done_on__isnull=False, reached=True)


def _follow_up_figures(results, follow_ups, grouping, today):
    due = Q(due_on__lte=today) | Q(done_on__isnull=False)
    applied = _answered() & Q(applied__in=(Applied.YES, Applied.PARTLY))
    counts = {}
    for wave in FollowUpWave.values:
        counts[f"due_{wave}"] = Count("pk", filter=Q(wave=wave) & due)
        counts[f"reached_{wave}"] = Count("pk", filter=Q(wave=wave) & _answered())
        counts[f"applied_{wave}"] = Count("pk", filter=Q(wave=wave) & applied)
    rows = _grouped(follow_ups, grouping, "enrolment__").annotate(
        businesses=Count("enrolment", distinct=True, filter=_answered() & Q(business_started=True)), **counts
    )
    for row in rows:
        result = results[row[KEY]]
        result.businesses = row["businesses"]
        for wave in FollowUpWave.values:
            result.waves[wave] = Wave(wave, row[f"due_{wave}"], row[f"reached_{wave}"], row[f"applied_{wave}"])


def _income_figures(results, follow_ups, grouping):
    both = _answered() & Q(income_before__isnull=False, income_after__isnull=False)
    # Each participant's latest answer giving both incomes: none of their later waves gives both.
    later = FollowUp.objects.filter(both, enrolment=OuterRef("enrolment"), wave__gt=OuterRef("wave"))
    rows = (
        _grouped(follow_ups.filter(both).exclude(Exists(later)), grouping, "enrolment__")
        .annotate(n=Count("pk"), median=Median(F("income_after") - F("income_before")))
        .order_by()
    )
    for row in rows:
        result = results[row[KEY]]
        result.income_n, result.income_median = row["n"], _decimal(row["median"], "1")


def _village_figures(results, follow_ups, grouping, *, detailed):
    with_result = follow_ups.filter(_answered()).exclude(village_result_kind="")
    rows = _grouped(with_result, grouping, "enrolment__").values(KEY, "village_result_kind").annotate(n=Count("pk"))
    labels = dict(VillageResultKind.choices)
    for row in sorted(rows, key=lambda row: (-row["n"], row["village_result_kind"])):
        results[row[KEY]].village_counts.append((labels.get(row["village_result_kind"]), row["n"]))
    if detailed:
        listed = with_result.annotate(**{KEY: group_key(grouping, "enrolment__")}).select_related(
            "enrolment__person__village", "enrolment__batch"
        )
        for result in results.values():
            result.village_results = []
        for follow_up in listed.order_by("-done_on", "pk")[:VILLAGE_LIST_MAX]:
            results[getattr(follow_up, KEY)].village_results.append(follow_up)


def for_results_page(user):
    """The enrolments the results page counts for `user`: those of batches not cancelled."""
    return counted_enrolments(user).exclude(batch__status=BatchStatus.CANCELLED)
