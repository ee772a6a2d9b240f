import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0003_name_search_index'),  # creates pg_trgm
        ('villages', '0004_import_record'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='programmearea',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('name'), name='gin_trgm_ops'), name='programmearea_name_trgm'),
        ),
    ]
