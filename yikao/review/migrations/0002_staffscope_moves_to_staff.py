# StaffScope moves to the staff app with its table (review_staffscope) and rows: only
# Django's idea of which app owns the model changes; nothing is done to the database.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StaffScope")],
            database_operations=[],
        )
    ]
