# Finer planner statistics for the names the searches read (`UPPER(name) LIKE '%…%'`, served by the trigram
# indexes of 0003). With the default 100, ANALYZE samples 30,000 of the 83,762 villages, and when a sampled
# name happens to hold the search (3 villages of "Bahandang", drawn about once in a hundred ANALYZEs) the
# planner expects 1 % of all villages to match, walks the whole code index instead of the trigram index,
# and the search costs 40–80 ms instead of 1 ms. At 1000 ANALYZE reads every village and every kecamatan:
# the same statistics after every ANALYZE, each histogram step a thousandth of the names.

from django.db import migrations

TARGETS = [
    ("regions_village", "village_name_trgm"),
    ("regions_district", "district_name_trgm"),
]


def statistics(target):
    return [
        statement
        for table, index in TARGETS
        for statement in (
            f"ALTER TABLE {table} ALTER COLUMN name SET STATISTICS {target}",
            f"ALTER INDEX {index} ALTER COLUMN 1 SET STATISTICS {target}",
        )
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0003_name_search_index"),
    ]

    operations = [
        migrations.RunSQL(statistics(1000), reverse_sql=statistics(-1)),
    ]
