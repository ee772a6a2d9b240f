"""The IDM scheme of Permendesa 2/2016 as data: three components, IDM = their mean, five statuses."""

from decimal import Decimal

from django.db import migrations

IDM_COMPONENTS = [
    ("iks", "Indeks Ketahanan Sosial (IKS)"),
    ("ike", "Indeks Ketahanan Ekonomi (IKE)"),
    ("ikl", "Indeks Ketahanan Lingkungan/Ekologi (IKL)"),
]
# Upper bounds (inclusive), Permendesa 2/2016.
IDM_STATUSES = [
    ("sangat-tertinggal", "SANGAT TERTINGGAL", Decimal("0.4907"), "#dc3545"),
    ("tertinggal", "TERTINGGAL", Decimal("0.5989"), "#fd7e14"),
    ("berkembang", "BERKEMBANG", Decimal("0.7072"), "#ffc107"),
    ("maju", "MAJU", Decimal("0.8155"), "#20c997"),
    ("mandiri", "MANDIRI", None, "#198754"),
]


def create_idm(apps, schema_editor):
    IndexScheme = apps.get_model("villages", "IndexScheme")
    scheme, _created = IndexScheme.objects.update_or_create(
        code="idm",
        defaults={
            "name": "Indeks Desa Membangun (IDM)",
            "regulation": "Permendesa PDTT No. 2 Tahun 2016",
            "aggregation": "mean",
            "value_min": Decimal("0"),
            "value_max": Decimal("1"),
            "value_columns": "idm,nilai_idm",
            "status_columns": "status,status_idm",
        },
    )
    for order, (code, name) in enumerate(IDM_COMPONENTS, start=1):
        scheme.components.update_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name, bound, color) in enumerate(IDM_STATUSES, start=1):
        scheme.statuses.update_or_create(
            code=code, defaults={"name": name, "upper_bound": bound, "order": order, "color": color}
        )


class Migration(migrations.Migration):
    dependencies = [("villages", "0001_initial")]

    operations = [migrations.RunPython(create_idm, migrations.RunPython.noop)]
