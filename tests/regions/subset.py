"""Real regions for tests that commit data (browser and concurrency tests).

Transactional tests empty every table when they end, so they cannot rely on
the session-wide import; they load the provinces they need from the vendored
idn-area-data release instead (a fraction of a second).
"""

import csv
from pathlib import Path

from regions.importer import DEFAULT_SOURCE, LEVELS, regions_import
from regions.models import Village

# Kalimantan Selatan (Barito Kuala), Kalimantan Tengah and Aceh (another region).
DEFAULT_PROVINCES = ("11", "62", "63")


def import_region_subset(folder, provinces=DEFAULT_PROVINCES):
    """Import only the given provinces' regions (skipped when they are already there)."""
    if Village.objects.filter(code="63.04.03.2001").exists():
        return
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for level in LEVELS:
        with (DEFAULT_SOURCE / level.filename).open(encoding="utf-8") as source:
            rows = list(csv.reader(source))
        with (folder / level.filename).open("w", encoding="utf-8", newline="") as target:
            writer = csv.writer(target)
            writer.writerow(rows[0])
            writer.writerows(row for row in rows[1:] if row[0][:2] in provinces)
    regions_import(folder)
