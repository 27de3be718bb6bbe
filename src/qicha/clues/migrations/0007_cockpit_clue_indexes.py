from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clues', '0006_rereview_withdrawal_and_registrant_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='clue',
            index=models.Index(fields=['campaign', 'status', 'unit', 'due_date', 'real_name'], name='clue_cockpit_unit_idx'),
        ),
        migrations.AddIndex(
            model_name='clue',
            index=models.Index(fields=['campaign', 'unit', 'source', 'result'], name='clue_cockpit_kind_idx'),
        ),
        migrations.AddIndex(
            model_name='clue',
            index=models.Index(condition=models.Q(('real_name', True)), fields=['campaign', 'status', 'unit', 'id'], name='clue_cockpit_reply_idx'),
        ),
    ]
