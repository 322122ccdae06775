from django.contrib import admin

from yikao.appointments.models import SiteSetting


@admin.register(SiteSetting)
class SiteSettingAdmin(admin.ModelAdmin):
    list_display = ["site", "cutoff_hours"]
    autocomplete_fields = ["site"]
