from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('problems', '0006_cockpit_indexes'),
    ]

    operations = [
        # The trend no longer reads problem_type_idx: 整改类型 takes the narrower index below (with the unit).
        migrations.RemoveIndex(
            model_name='problem',
            name='problem_type_idx',
        ),
        migrations.AddIndex(
            model_name='problem',
            index=models.Index(fields=['campaign', 'unit', 'rectification_type'], name='problem_cockpit_type_idx'),
        ),
        migrations.AddIndex(
            model_name='problem',
            index=models.Index(fields=['campaign', 'created_at', 'status', 'unit'], name='problem_cockpit_created_idx'),
        ),
        migrations.AddIndex(
            model_name='problem',
            index=models.Index(fields=['campaign', 'unit', 'created_at', 'status'], name='problem_cockpit_unit_week_idx'),
        ),
    ]
