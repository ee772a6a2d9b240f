"""What the apps offer the portal's shared pages and commands, found by convention.

The core never imports a domain app. Instead it looks, in every project app
above it (in INSTALLED_APPS order, which lists the apps lowest layer first),
for these optional modules and uses what they define:

- `<app>/menu.py`: `ITEMS`, a tuple of `MenuItem` — the navigation bar (context processor);
- `<app>/home.py`: `home(request)` → `HomeStat`s and `HomeSection`s — the home page;
- `<app>/demo.py`: `load()` → the demo logins it made, or None — `manage.py load_demo` (percontohan.demo);
- `<app>/daily.py`: `run(today)` → a summary — `manage.py run_daily` (percontohan.tasks).

A missing module means the app offers nothing there.
"""

import dataclasses
import functools
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils.module_loading import module_has_submodule

from percontohan.records import CompiledSQL

CORE = "percontohan"


def project_apps():
    """The project's apps above the core (those under BASE_DIR but percontohan), in INSTALLED_APPS order."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if config.name != CORE and Path(config.path).resolve().is_relative_to(base)
    ]


@functools.cache
def app_modules(name):
    """The `<app>.<name>` module of every project app that has one, in INSTALLED_APPS order."""
    return tuple(
        import_module(f"{config.name}.{name}") for config in project_apps() if module_has_submodule(config.module, name)
    )


# --- Navigation --------------------------------------------------------------


@dataclass(frozen=True)
class MenuItem:
    """A link in the navigation bar; `more` puts it under "Lainnya". `active` lists the view names that
    mark it active (a name ending in "_" or ":" is a prefix); `order` places it among every app's items."""

    order: int
    label: str
    url_name: str
    active: tuple = ()
    more: bool = False


def menu_items():
    return sorted((item for module in app_modules("menu") for item in module.ITEMS), key=lambda item: item.order)


# --- Home page ---------------------------------------------------------------

# What a stat's value may be to be counted by home_parts.
COUNTED = (QuerySet, CompiledSQL)


@dataclass(frozen=True)
class HomeStat:
    """A figure in the row of cards at the top of the home page: a number, or rows that `home_parts`
    counts (every stat's in one query) — a queryset, or the SQL of a query prepared once per process
    (`Prepared(...).sql(*keys)`, percontohan.records), which spares building and compiling it on
    every home page."""

    order: int
    label: str
    value: "int | QuerySet | CompiledSQL"
    url: str = ""


@dataclass(frozen=True)
class HomeSection:
    """A block of the home page: the app's template partial, rendered with `context`."""

    order: int
    template: str
    context: dict = field(default_factory=dict)


def home_parts(request):
    """Every app's home stats and sections, each list in its order; the stats' querysets counted."""
    parts = [part for module in app_modules("home") for part in module.home(request)]
    by_order = functools.partial(sorted, key=lambda part: part.order)
    stats = by_order(part for part in parts if isinstance(part, HomeStat))
    counted = iter(count_each([stat.value for stat in stats if isinstance(stat.value, COUNTED)]))
    stats = [
        dataclasses.replace(stat, value=next(counted)) if isinstance(stat.value, COUNTED) else stat for stat in stats
    ]
    return stats, by_order(part for part in parts if isinstance(part, HomeSection))


def count_each(queries):
    """How many rows each query (a queryset, or a prepared query's CompiledSQL) selects, all counted in one
    query: a COUNT of its own for each figure cost more to build in the ORM than to run."""
    counts, selects, params, positions = [0] * len(queries), [], [], []
    for position, query in enumerate(queries):
        if isinstance(query, CompiledSQL):
            sql, query_params = query
        else:
            try:
                sql, query_params = query.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:  # a queryset nothing can match (none()): no row
                continue
        # The ORM's own SQL, its values passed as parameters.
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS rows)")  # noqa: S608
        params.extend(query_params)
        positions.append(position)
    if selects:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(selects), params)
            for position, count in zip(positions, cursor.fetchone(), strict=True):
                counts[position] = count
    return counts
