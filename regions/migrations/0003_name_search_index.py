# pg_trgm and the indexes of the village and kecamatan searches (percontohan/indexes.py). pg_trgm is a trusted extension
# (PostgreSQL ≥ 13): the database owner may create it; it comes with Debian's server package (contrib).

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0002_import_record'),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name='district',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('name'), name='gin_trgm_ops'), name='district_name_trgm'),
        ),
        migrations.AddIndex(
            model_name='village',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('name'), name='gin_trgm_ops'), name='village_name_trgm'),
        ),
    ]
