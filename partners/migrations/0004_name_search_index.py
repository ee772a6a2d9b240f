import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0003_organisation_head_and_profile'),
        ('regions', '0003_name_search_index'),  # creates pg_trgm
    ]

    operations = [
        migrations.AddIndex(
            model_name='organisation',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('name'), name='gin_trgm_ops'), name='organisation_name_trgm'),
        ),
        migrations.AddIndex(
            model_name='organisation',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('short_name'), name='gin_trgm_ops'), name='organisation_short_name_trgm'),
        ),
    ]
