from django.contrib import admin

from yikao.review.models import Decision
from yikao.staff.models import StaffScope


@admin.register(StaffScope)
class StaffScopeAdmin(admin.ModelAdmin):
    """Administrators set a staff login's role and place here; the login itself and its
    TOTP device are created with `manage.py create_staff` (which prints the device URI)."""

    list_display = ["user", "role", "site", "area", "full_id_export", "created_at"]
    list_filter = ["role", "full_id_export"]
    search_fields = ["user__username", "site__name", "site__code", "area__name"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "site", "area"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "registration", "staff", "role", "action", "old_status"]
    list_filter = ["action", "role"]
    raw_id_fields = ["registration", "staff"]
    list_select_related = ["registration", "staff"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
