"""The training tables in the Django admin, usable at club scale (millions of rep results and
targets): foreign keys are raw ids (no select of every session or log), changelists skip the
full-table count (``show_full_result_count = False``) and the date drill-down (a scan of the
whole table per request), related names come in the same query (``list_select_related``), and
every ``__str__`` is free of related lookups, so inlines cost one query whatever their size."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

from .models import (
    AthleteVersion,
    Block,
    Comment,
    DeviceImport,
    PlannedStep,
    PlannedTarget,
    RepResult,
    Session,
    SessionLog,
    SessionTemplate,
)


class LargeTablePaginator(Paginator):
    """An unfiltered changelist counts the whole table to number its pages, a scan of millions
    of rows. On PostgreSQL it takes the planner's estimate instead (``pg_class.reltuples``,
    kept by autovacuum) once the table is large; a filtered or searched list, and SQLite, count
    as usual."""

    ESTIMATE_ABOVE = 100_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                               [queryset.model._meta.db_table])
                row = cursor.fetchone()
            if row and row[0] > self.ESTIMATE_ABOVE:
                return row[0]
        return super().count


class ReadOnlyInline(admin.TabularInline):
    """Rows shown, not edited, on their parent's page: text renders far faster than a form
    per row, and sessions and steps are written through planning (``plan_session``), which an
    edit here would bypass."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SessionInline(ReadOnlyInline):
    model = Session
    fields = ["date", "slot", "title", "notation"]
    show_change_link = True


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["title", "coach", "start_date", "end_date", "place", "altitude_m", "archived"]
    list_filter = ["archived", "coach", "start_date"]
    search_fields = ["title", "place", "goal_race_name"]
    list_select_related = ["coach"]
    raw_id_fields = ["coach"]
    filter_horizontal = ["athletes"]
    show_full_result_count = False
    inlines = [SessionInline]


class PlannedStepInline(ReadOnlyInline):
    model = PlannedStep
    fields = ["athlete", "position", "kind", "set_number", "rep_number", "distance_m",
              "duration_s", "target_text", "lactate_lo", "lactate_hi", "mode"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("athlete")  # one query for all


class AthleteVersionInline(ReadOnlyInline):
    """Athletes' own versions; change them on the session form, which re-plans them."""

    model = AthleteVersion
    fields = ["athlete", "notation", "squad_notation", "rep_count", "work_distance_m"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("athlete")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["date", "slot", "title", "block", "rep_count", "work_distance_m"]
    list_filter = ["slot", "is_quality", "date"]
    search_fields = ["title", "notation", "block__title"]
    list_select_related = ["block"]
    raw_id_fields = ["block"]
    show_full_result_count = False
    inlines = [AthleteVersionInline, PlannedStepInline]


@admin.register(PlannedTarget)
class PlannedTargetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "athlete", "target_lo_s", "target_hi_s", "sea_level_lo_s"]
    search_fields = ["athlete__display_name"]
    list_select_related = ["athlete"]
    raw_id_fields = ["step", "athlete"]
    show_full_result_count = False
    paginator = LargeTablePaginator


class RepResultInline(admin.TabularInline):
    model = RepResult
    fields = ["position", "distance_m", "actual_s", "target_lo_s", "target_hi_s", "avg_hr",
              "lactate", "note", "skipped", "extra"]
    extra = 0


class CommentInline(admin.TabularInline):
    """The log's thread, private notes included (admins moderate)."""

    model = Comment
    fields = ["created", "author", "rep", "private", "body"]
    readonly_fields = ["created", "author", "rep"]  # shown from one query, not one per row
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "rep")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # a comment is written in the thread, by its author


@admin.register(SessionLog)
class SessionLogAdmin(admin.ModelAdmin):
    list_display = ["__str__", "athlete", "session", "date_done", "rpe", "completed"]
    list_filter = ["completed", "date_done"]
    search_fields = ["athlete__display_name", "session__title"]
    list_select_related = ["athlete", "session"]
    raw_id_fields = ["session", "athlete"]
    show_full_result_count = False
    paginator = LargeTablePaginator
    inlines = [RepResultInline, CommentInline]


@admin.register(RepResult)
class RepResultAdmin(admin.ModelAdmin):
    """Lean: no search or filters over millions of rows; find a rep from its log's page."""

    list_display = ["__str__", "distance_m", "actual_s", "target_lo_s", "avg_hr", "lactate",
                    "skipped", "extra", "from_device"]
    raw_id_fields = ["log", "step"]
    show_full_result_count = False
    paginator = LargeTablePaginator


@admin.register(SessionTemplate)
class SessionTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "coach", "created"]
    search_fields = ["title", "notation"]
    list_select_related = ["coach"]
    raw_id_fields = ["coach"]


@admin.register(DeviceImport)
class DeviceImportAdmin(admin.ModelAdmin):
    """Watch files imported into logs (sessions/watch_import.py): to find one by its name or
    see what was stored; the match is read-only JSON."""

    list_display = ["__str__", "filename", "source", "status", "size", "created"]
    list_filter = ["status", "source"]
    search_fields = ["filename"]
    raw_id_fields = ["log", "uploaded_by"]
    readonly_fields = ["matches", "size", "source", "device", "started_at", "accepted_at"]
    show_full_result_count = False
