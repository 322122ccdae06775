# StaffScope arrives from the review app with its table (review_staffscope) and rows; the
# table was created by review 0001, so this only records the model in the staff app's state.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("exams", "0001_initial"),
        ("review", "0002_staffscope_moves_to_staff"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StaffScope",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("site", "考点工作人员"), ("area", "考区工作人员"), ("national", "国家管理员")], max_length=10, verbose_name="角色")),
                        ("full_id_export", models.BooleanField(default=False, verbose_name="可导出完整证件号码")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("area", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="exams.examarea")),
                        ("site", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="exams.examsite")),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="staff_scope", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "工作人员权限范围",
                        "verbose_name_plural": "工作人员权限范围",
                        "db_table": "review_staffscope",
                        "constraints": [models.CheckConstraint(condition=models.Q(models.Q(("area__isnull", True), ("role", "site"), ("site__isnull", False)), models.Q(("area__isnull", False), ("role", "area"), ("site__isnull", True)), models.Q(("area__isnull", True), ("role", "national"), ("site__isnull", True)), _connector="OR"), name="review_scope_matches_role")],
                    },
                ),
            ],
            database_operations=[],
        )
    ]
