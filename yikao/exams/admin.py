from django.contrib import admin

from yikao.exams.models import AddOn, Exam, ExamArea, ExamCategory, ExamSite, SiteCapacity


class CategoryInline(admin.TabularInline):
    model = ExamCategory
    extra = 0


class AddOnInline(admin.TabularInline):
    model = AddOn
    extra = 0


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "window_start", "window_end", "is_published"]
    inlines = [CategoryInline, AddOnInline]


@admin.register(ExamArea)
class ExamAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(ExamSite)
class ExamSiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area"]
    list_filter = ["area"]
    search_fields = ["code", "name"]


@admin.register(SiteCapacity)
class SiteCapacityAdmin(admin.ModelAdmin):
    list_display = ["exam", "site", "capacity"]
    list_filter = ["exam", "site__area"]
    list_editable = ["capacity"]
    autocomplete_fields = ["site"]
    # The counter behind registration numbers: set under the row lock by submit, never by
    # hand (an edit could hand out a number twice).
    readonly_fields = ["last_number"]
