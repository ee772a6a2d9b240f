"""The benchmarks' own arithmetic and parsing (no server, no database): what `make bench` prints must be right."""

import pytest

from benchmarks.pages import _Assets, _table_rows
from benchmarks.stats import Result, percentile, report


def test_percentiles_interpolate_between_the_nearest_ranks():
    values = [40, 10, 30, 20]
    assert percentile(values, 0.5) == 25
    assert percentile(values, 0.95) == pytest.approx(38.5)
    assert percentile([7], 0.95) == 7


def test_a_percentile_of_nothing_is_refused():
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_the_table_shows_each_figure_beside_its_peer_and_target():
    table = report(
        [
            Result("list villages p50", 169, target=42, unit="ms", peer="admin 42 ms, ratio 4.02×"),
            Result("weight home: first load", 77.04, target=300, unit="KB", peer="HTML 2.8 KB + 6 files"),
            Result("import_regions: full release", 12.5, 91_599, target=30),
            Result("load: requests served", 512, unit=""),
        ]
    ).splitlines()
    assert table[0].split() == ["benchmark", "measured", "beside", "target", "result"]
    villages, weight, regions, served = table[2:]
    assert "169 ms" in villages and "admin 42 ms, ratio 4.02×" in villages and "≤ 42 ms" in villages
    assert villages.endswith("MISSED")
    assert "77.0 KB" in weight and "≤ 300.0 KB" in weight and weight.endswith("ok")
    assert "12.50 s" in regions and "91,599 rows, 7,328/s" in regions
    assert served.split()[-2:] == ["512", "—"]


def test_a_result_meets_its_target_when_not_above_it():
    assert Result("p95", 300, target=300, unit="ms").met
    assert not Result("failed requests", 1, target=0, unit="").met
    assert Result("COPY (baseline)", 99.0).met


def test_the_files_a_page_loads_are_its_scripts_styles_icons_images_and_configured_data():
    parser = _Assets()
    parser.feed(
        '<link rel="icon" href="/static/favicon.1.svg"><link rel="stylesheet" href="/static/a.1.css">'
        '<link rel="preconnect" href="https://example.org">'
        '<img src="data:image/png;base64,AA"><img src="/static/b.png">'
        '<script src="/static/forms.1.js" data-tom-select-js="/static/ts.js" data-tom-select-css="/static/ts.css">'
        '</script><script type="application/json" id="c">{"dataUrl": "/peta/desa.geojson", "tileUrl": ""}</script>'
    )
    assert parser.found() == [
        "/static/favicon.1.svg",
        "/static/a.1.css",
        "/static/b.png",
        "/static/forms.1.js",
        "/peta/desa.geojson",
    ]


def test_tom_select_counts_only_on_a_page_with_a_picker():
    parser = _Assets()
    parser.feed('<script src="/static/forms.js" data-tom-select-js="/static/ts.js"></script><select data-picker>')
    assert parser.found() == ["/static/forms.js", "/static/ts.js"]


def test_the_rows_of_a_list_are_counted_in_its_table_body():
    html = "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr><tr class='x'><td>2</td></tr></tbody>"
    assert _table_rows(html) == 2
    assert _table_rows("<p>no table</p>") == 0
