from django.contrib import admin

from .models import (
    AthleteVersion,
    Block,
    Comment,
    PlannedStep,
    PlannedTarget,
    RepResult,
    Session,
    SessionLog,
    SessionTemplate,
)


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["date", "slot", "title", "notation"]
    extra = 0
    show_change_link = True


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["title", "coach", "start_date", "end_date", "place", "altitude_m", "archived"]
    list_filter = ["archived", "coach", "start_date"]
    search_fields = ["title", "place", "goal_race_name"]
    list_select_related = ["coach"]
    filter_horizontal = ["athletes"]
    date_hierarchy = "start_date"
    inlines = [SessionInline]


class PlannedStepInline(admin.TabularInline):
    model = PlannedStep
    fields = ["athlete", "position", "kind", "set_number", "rep_number", "distance_m",
              "duration_s", "target_text", "lactate_lo", "lactate_hi", "mode"]
    raw_id_fields = ["athlete"]
    extra = 0


class AthleteVersionInline(admin.TabularInline):
    """Athletes' own versions; change them on the session form, which re-plans them."""

    model = AthleteVersion
    fields = ["athlete", "notation", "squad_notation", "rep_count", "work_distance_m"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["date", "slot", "title", "block", "rep_count", "work_distance_m"]
    list_filter = ["slot", "is_quality", "block"]
    search_fields = ["title", "notation", "block__title"]
    list_select_related = ["block"]
    date_hierarchy = "date"
    inlines = [AthleteVersionInline, PlannedStepInline]


@admin.register(PlannedTarget)
class PlannedTargetAdmin(admin.ModelAdmin):
    list_display = ["step", "athlete", "target_lo_s", "target_hi_s", "sea_level_lo_s"]
    search_fields = ["athlete__display_name", "step__session__title"]
    list_select_related = ["step__session", "athlete"]


class RepResultInline(admin.TabularInline):
    model = RepResult
    fields = ["position", "distance_m", "actual_s", "target_lo_s", "target_hi_s", "avg_hr",
              "lactate", "note", "skipped", "extra"]
    extra = 0


class CommentInline(admin.TabularInline):
    """The log's thread, private notes included (admins moderate)."""

    model = Comment
    fields = ["created", "author", "rep", "private", "body"]
    raw_id_fields = ["author", "rep"]
    extra = 0


@admin.register(SessionLog)
class SessionLogAdmin(admin.ModelAdmin):
    list_display = ["athlete", "session", "date_done", "rpe", "completed"]
    list_filter = ["completed", "date_done"]
    search_fields = ["athlete__display_name", "session__title", "notes"]
    list_select_related = ["athlete", "session"]
    date_hierarchy = "date_done"
    inlines = [RepResultInline, CommentInline]


@admin.register(SessionTemplate)
class SessionTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "coach", "created"]
    search_fields = ["title", "notation"]
    list_select_related = ["coach"]
