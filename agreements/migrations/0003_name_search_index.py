import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0002_initial'),
        ('regions', '0003_name_search_index'),  # creates pg_trgm
    ]

    operations = [
        migrations.AddIndex(
            model_name='agreement',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('title'), name='gin_trgm_ops'), name='agreement_title_trgm'),
        ),
    ]
