# Intake's key look-up answered from the index alone (digest, kind, clue); it replaces the index on digest.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("clues", "0008_cockpit_range_counts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="matchkey",
            index=models.Index(fields=["digest", "kind", "clue"], name="clue_match_key_lookup"),
        ),
        migrations.AlterField(
            model_name="matchkey",
            name="digest",
            field=models.CharField(max_length=64),
        ),
    ]
