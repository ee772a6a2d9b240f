"""The villages' part of the home page: pilot villages by status and villages by index status of the
latest year, in the user's scope (see percontohan.registry)."""

from django.db.models import Count

from percontohan.records import Prepared
from percontohan.registry import HomeSection
from percontohan.scoping import read_scope
from villages.insights import default_scheme, scheme_years
from villages.models import IndexScore, PilotStatus, PilotVillage

# Built and compiled once per process (percontohan.records.Prepared), for a scope.
PILOT_COUNTS = Prepared(
    lambda codes: (
        PilotVillage.objects.within(codes).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
)


def home(request):
    user = request.user
    codes = read_scope(user)
    by_status = dict(PILOT_COUNTS(codes))
    scheme = default_scheme()
    years = scheme_years(scheme) if scheme else []
    index_statuses = []
    if years:
        # Counted by status_id alone — COUNT(*) over the (scheme, year, status) index, never reading a
        # row — and the statuses (prefetched with the scheme) named here: grouping the national index
        # by the joined status columns takes several times as long.
        by_status_id = dict(
            IndexScore.objects.within(codes)
            .filter(scheme=scheme, year=years[0])
            .order_by()
            .values_list("status_id")
            .annotate(n=Count("*"))
            .values_list("status_id", "n")
        )
        index_statuses = [
            {"status": status, "n": by_status_id[status.pk]}
            for status in scheme.statuses.all()
            if status.pk in by_status_id
        ]
    context = {
        "pilot_counts": [(status.label, by_status.get(status.value, 0)) for status in PilotStatus],
        "pilot_total": sum(by_status.values()),
        "index_scheme": scheme,
        "index_year": years[0] if years else None,
        "index_statuses": index_statuses,
        "index_total": sum(row["n"] for row in index_statuses),
    }
    return [HomeSection(20, "villages/home_programme.html", context)]
