import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations


class Migration(migrations.Migration):
    """A trigram index for the area list's search on the legal basis (the name has one since 0005)."""

    dependencies = [
        ('villages', '0005_name_search_index'),  # regions 0003 (pg_trgm) before it
    ]

    operations = [
        migrations.AddIndex(
            model_name='programmearea',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('legal_basis'), name='gin_trgm_ops'), name='programmearea_legal_basis_trgm'),
        ),
    ]
