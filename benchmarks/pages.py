"""Page benchmarks (issue 9): the lists beside Django admin's changelists, deep pages, app CPU per
page and page weight — all against gunicorn with DEBUG off (benchmarks/server.py), as the demo's
superuser, on the national villages with their IDM 2024 scores and the demo programme.
"""

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from benchmarks.stats import Result, percentile

WARM_UP = 5
TINY = 100  # a list with fewer rows than this measures little more than the page around it
DEEP_PAGE = 500
DEEP_PAGE_TARGET = 1.2  # page 500 no slower than page 1 by more than 20 %
CPU_TARGET_MS = 20
CPU_REQUESTS = 15
FIRST_LOAD_TARGET_KB = 300
REPEAT_VISIT_TARGET_KB = 30
# Cached by a browser between visits: whitenoise's hashed files say max-age of ten years.
CACHEABLE_SECONDS = 24 * 3600


@dataclass
class ListPage:
    label: str
    url_name: str
    model: str  # app_label.ModelName, whose admin changelist is its peer
    query: str = ""


LISTS = [
    ListPage("villages /desa/", "villages:village_list", "regions.Village"),
    ListPage("villages /desa/ 100 rows", "villages:village_list", "regions.Village", "per_page=100"),
    ListPage("pilot villages", "villages:pilot_list", "villages.PilotVillage"),
    ListPage("programme areas", "villages:area_list", "villages.ProgrammeArea"),
    ListPage("selection rounds", "villages:round_list", "villages.SelectionRound"),
    ListPage("agreements", "agreements:agreement_list", "agreements.Agreement"),
    ListPage("commitments", "agreements:commitment_list", "agreements.Commitment"),
    ListPage("organisations", "partners:organisation_list", "partners.Organisation"),
]


def superuser_cookie():
    """A session of the demo's superuser ("admin"), who sees every list and every changelist."""
    from benchmarks.server import session_cookie
    from percontohan.models import User

    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise RuntimeError("no superuser: the demo (manage.py load_demo) was not loaded")
    return session_cookie(user)


def _admin_url(model):
    from django.apps import apps
    from django.urls import reverse

    meta = apps.get_model(model)._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


def _table_rows(html):
    """Rows in the page's table body (0 when it has none)."""
    match = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S)
    return len(re.findall(r"<tr[\s>]", match.group(1))) if match else 0


def _fetch_ok(portal, path, cookie, **kwargs):
    response = portal.get(path, cookie=cookie, **kwargs)
    if response.status != 200:
        location = response.headers.get("location", "")
        raise RuntimeError(f"GET {path} answered {response.status} {location}".strip())
    return response


def _interleaved(portal, cookie, first, second, requests):
    """Milliseconds of `requests` requests to each of two paths, alternating one by one after a warm-up."""
    for _round in range(WARM_UP):
        _fetch_ok(portal, first, cookie)
        _fetch_ok(portal, second, cookie)
    times = ([], [])
    for _round in range(requests):
        for path, into in ((first, times[0]), (second, times[1])):
            into.append(_fetch_ok(portal, path, cookie).seconds * 1000)
    return times


def _compared(name, ours, theirs, peer_name, note="", ratio_target=1.0):
    """p50 and p95 of ours beside theirs; the target is theirs (times ratio_target)."""
    results = []
    for label, fraction in (("p50", 0.5), ("p95", 0.95)):
        mine, peer = percentile(ours, fraction), percentile(theirs, fraction)
        results.append(
            Result(
                f"{name} {label}",
                mine,
                target=peer * ratio_target,
                unit="ms",
                peer=f"{peer_name} {peer:.0f} ms, ratio {mine / peer:.2f}×{note}",
            )
        )
    return results


def bench_lists(ctx):
    """Every list page beside Django admin's changelist of the same model, interleaved request by
    request for the same superuser (40 each after a warm-up by default): p50 and p95 no slower than
    admin's. Then page 500 of /desa/ beside page 1 (≤ 1.2× at p50)."""
    from django.apps import apps
    from django.urls import reverse

    portal, cookie, requests = ctx.portal(), ctx.superuser_cookie(), ctx.requests
    results = []
    for page in LISTS:
        ours = reverse(page.url_name) + (f"?{page.query}" if page.query else "")
        theirs = _admin_url(page.model)
        count = apps.get_model(page.model).objects.count()
        shown = _table_rows(_fetch_ok(portal, ours, cookie).text())
        if page.query.startswith("per_page") and shown <= 25 < count:
            print(f"  {page.label}: skipped, the list ignores ?{page.query} ({shown} rows shown)", flush=True)
            continue
        admin_shown = _table_rows(_fetch_ok(portal, theirs, cookie).text())
        # A tiny list measures mostly the page around its table.
        note = f"; {shown} vs {admin_shown} shown of {count:,}" + (" (demo only: tiny)" if count < TINY else "")
        print(f"  {page.label}: {ours} beside {theirs}{note} …", flush=True)
        mine, admin = _interleaved(portal, cookie, ours, theirs, requests)
        results += _compared(f"list {page.label}", mine, admin, "admin", note)

    first = reverse("villages:village_list")
    deep = f"{first}?page={DEEP_PAGE}"
    print(f"  {deep} beside {first} …", flush=True)
    page_one, page_deep = _interleaved(portal, cookie, first, deep, requests)
    p50_one, p50_deep = percentile(page_one, 0.5), percentile(page_deep, 0.5)
    results.append(
        Result(
            f"list villages page {DEEP_PAGE} p50",
            p50_deep,
            target=p50_one * DEEP_PAGE_TARGET,
            unit="ms",
            peer=f"page 1 {p50_one:.0f} ms, ratio {p50_deep / p50_one:.2f}× (≤ {DEEP_PAGE_TARGET}×)",
        )
    )
    p95_one, p95_deep = percentile(page_one, 0.95), percentile(page_deep, 0.95)
    results.append(
        Result(
            f"list villages page {DEEP_PAGE} p95",
            p95_deep,
            unit="ms",
            peer=f"page 1 {p95_one:.0f} ms, ratio {p95_deep / p95_one:.2f}×",
        )
    )
    return results


# --- app CPU per request ------------------------------------------------------


def typical_pages():
    """(label, path, admin's changelist or None) of the pages a user opens most: home, every list, the map,
    a village, an agreement."""
    from django.urls import reverse

    from agreements.models import Agreement

    pages = [("home", reverse("home"), None)]
    pages += [
        (page.label, reverse(page.url_name) + (f"?{page.query}" if page.query else ""), _admin_url(page.model))
        for page in LISTS
    ]
    pages += [("map /peta/", reverse("villages:map"), None), ("village page", village_page(), None)]
    agreement = Agreement.objects.order_by("pk").first()
    if agreement:
        pages.append(("agreement page", reverse("agreements:agreement_detail", args=[agreement.pk]), None))
    return pages


def village_page():
    """A pilot village's page (trend chart, map, pilot history), else any village with scores."""
    from django.urls import reverse

    from villages.models import IndexScore, PilotVillage

    pilot = PilotVillage.objects.order_by("pk").first()
    code = pilot.village_id if pilot else IndexScore.objects.order_by("village_id").values_list("village_id")[0][0]
    return reverse("villages:village", args=[code])


def bench_cpu(ctx):
    """App CPU per request of each typical page (15 requests after a warm-up; the median of the CPU the
    worker spent on each, benchmarks/wsgi.py), target ≤ 20 ms, beside admin's changelist for a list; and,
    over all of them, the workers' CPU from /proc divided by the requests — gunicorn's own work included —
    beside the mean of the app's own figures."""
    portal, cookie = ctx.portal(), ctx.superuser_cookie()
    pages = typical_pages()
    for _label, path, admin in pages:
        for warm_up in (path, admin):
            if warm_up:
                _fetch_ok(portal, warm_up, cookie)

    def cpu_of(path):
        return [_fetch_ok(portal, path, cookie).cpu_ms for _round in range(CPU_REQUESTS)]

    started = portal.workers_cpu_seconds()
    ours = {path: cpu_of(path) for _label, path, _admin in pages}
    total_ms = (portal.workers_cpu_seconds() - started) * 1000 / (CPU_REQUESTS * len(pages))
    results = []
    for label, path, admin in pages:
        cpu = ours[path]
        peer = f"admin {percentile(cpu_of(admin), 0.5):.1f} ms, " if admin else ""
        peer += f"p95 {percentile(cpu, 0.95):.1f} ms; {path}"
        results.append(Result(f"CPU {label}", percentile(cpu, 0.5), target=CPU_TARGET_MS, unit="ms", peer=peer))
    every = [value for values in ours.values() for value in values]
    results.append(
        Result(
            "CPU per request, all pages (workers, /proc)",
            total_ms,
            target=CPU_TARGET_MS,
            unit="ms",
            peer=f"{len(every)} requests; mean of the app's own figures {sum(every) / len(every):.1f} ms",
        )
    )
    return results


# --- page weight --------------------------------------------------------------


class _Assets(HTMLParser):
    """What a browser fetches on loading a page: scripts, stylesheets, icons and images; Tom Select when
    the page has a picker (static/js/forms.js loads it then); data named by the page's JSON
    configuration (`…Url` keys of <script type="application/json">, e.g. the map's GeoJSON)."""

    def __init__(self):
        super().__init__()
        self.urls, self.picker, self.deferred, self._json, self._in_json = [], False, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
            self.deferred += [value for name, value in attrs.items() if name.startswith("data-tom-select-")]
        elif tag == "script" and attrs.get("type") == "application/json":
            self._in_json = True
        elif tag == "link" and attrs.get("href") and {"stylesheet", "icon"} & set(rel):
            self.urls.append(attrs["href"])
        elif tag == "img" and attrs.get("src") and not attrs["src"].startswith("data:"):
            self.urls.append(attrs["src"])
        elif tag == "select" and "data-picker" in attrs:
            self.picker = True

    def handle_data(self, data):
        if self._in_json:
            self._json.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def found(self):
        urls = self.urls + (self.deferred if self.picker else [])
        for text in self._json:
            try:
                urls += list(_config_urls(json.loads(text)))
            except ValueError:
                continue
        return list(dict.fromkeys(url for url in urls if url))


def _config_urls(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key.lower().endswith("url") and isinstance(item, str) and item.startswith("/"):
                yield item
            else:
                yield from _config_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _config_urls(item)


def _cacheable(response):
    match = re.search(r"max-age=(\d+)", response.headers.get("cache-control", ""))
    return bool(match) and int(match.group(1)) >= CACHEABLE_SECONDS


def page_weight(portal, path, cookie):
    """(first load, repeat visit, details): bytes sent for the page and what it loads, gzip accepted.
    A repeat visit fetches the HTML again and whatever is not cacheable for a day or more."""
    page = _fetch_ok(portal, path, cookie)
    parser = _Assets()
    parser.feed(page.text())
    first = repeat = len(page.body)
    files, uncached = [], []
    base = portal.base_url + path
    for url in parser.found():
        target = urlsplit(urljoin(base, url))
        if target.netloc != urlsplit(portal.base_url).netloc:
            continue  # another origin (a tile server) is not ours to weigh
        asset = portal.get(target.path + (f"?{target.query}" if target.query else ""), cookie=cookie)
        if asset.status != 200:
            raise RuntimeError(f"{path} loads {url}, which answered {asset.status}")
        first += len(asset.body)
        files.append((url, len(asset.body)))
        if not _cacheable(asset):
            repeat += len(asset.body)
            uncached.append(url)
    return first, repeat, {"html": len(page.body), "files": files, "uncached": uncached}


def bench_weight(ctx):
    """Page weight of each main page, compressed (gzip): first load (HTML and every file it loads)
    ≤ 300 KB; repeat visit (the HTML and what is not cached) ≤ 30 KB."""
    from django.urls import reverse

    portal, cookie = ctx.portal(), ctx.superuser_cookie()
    pages = [
        ("home", reverse("home")),
        ("/desa/", reverse("villages:village_list")),
        ("/peta/", reverse("villages:map")),
        ("agreements", reverse("agreements:agreement_list")),
        ("village page", village_page()),
    ]
    results = []
    for label, path in pages:
        first, repeat, details = page_weight(portal, path, cookie)
        heaviest = sorted(details["files"], key=lambda item: -item[1])[:3]
        print(
            f"  {label} {path}: HTML {details['html'] / 1024:.1f} KB, {len(details['files'])} files; heaviest: "
            + ", ".join(f"{url.rsplit('/', 1)[-1]} {size / 1024:.1f} KB" for url, size in heaviest),
            flush=True,
        )
        results.append(
            Result(
                f"weight {label}: first load",
                first / 1024,
                target=FIRST_LOAD_TARGET_KB,
                unit="KB",
                peer=f"HTML {details['html'] / 1024:.1f} KB + {len(details['files'])} files",
            )
        )
        uncached = ", ".join(url.rsplit("/", 1)[-1] for url in details["uncached"]) or "nothing else"
        results.append(
            Result(
                f"weight {label}: repeat visit",
                repeat / 1024,
                target=REPEAT_VISIT_TARGET_KB,
                unit="KB",
                peer=f"HTML + {uncached}",
            )
        )
    return results
