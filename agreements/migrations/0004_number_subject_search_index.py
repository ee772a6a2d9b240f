import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations


class Migration(migrations.Migration):
    """Trigram indexes for the list's search on the number and the subject (the title has one since 0003)."""

    dependencies = [
        ('agreements', '0003_name_search_index'),  # regions 0003 (pg_trgm) before it
    ]

    operations = [
        migrations.AddIndex(
            model_name='agreement',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('number'), name='gin_trgm_ops'), name='agreement_number_trgm'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('subject'), name='gin_trgm_ops'), name='agreement_subject_trgm'),
        ),
    ]
