"""The training tables in the Django admin, usable at club scale (millions of rep results and
targets): foreign keys are raw ids (no select of every session or log), changelists skip the
full-table count (``show_full_result_count = False``) and the date drill-down (a scan of the
whole table per request), related names come in the same query (``list_select_related``), and
every ``__str__`` is free of related lookups, so inlines cost one query whatever their size.
A change page's object is read with its raw-id objects joined, which name themselves next to
their boxes without a query each (``JoinedRawIds``, coach/admin_raw_ids.py).

Drawn for speed (docs/perf-admin.md): the changelists of the big tables write their rows in
Python, the same markup as Django's (``QUICK_CHANGE_LIST``), 50 to a page for sessions, logs,
rep results and targets; the rows shown read-only on a page (a block's sessions, a session's
steps and versions, a log's reps) are one table written from plain rows
(``coach.admin_tables.ReadOnlyTableInline``). A log's reps are changed on each rep's own page
(linked from its row), which goes through ``RepResultAdmin.save_model``.

Blocks, sessions, athletes' own versions, logs and rep results have django-simple-history's
"History" page (``SimpleHistoryAdmin``): every recorded version with who saved it and when, and
"Revert" to restore one (docs/history.md). A block or session saved here, restored or edited,
takes a new version, so an edit form drawn before is refused; a session restored is planned
again from its notation."""

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import connection
from django.forms.models import ModelChoiceIterator, ModelMultipleChoiceField
from django.utils.functional import cached_property
from simple_history.admin import SimpleHistoryAdmin

from athletes.models import Athlete
from coach import notation
from coach.admin_raw_ids import JoinedRawIds
from coach.admin_tables import QUICK_CHANGE_LIST, ReadOnlyTableInline

from . import history, planning
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

BIG_TABLE_PAGE = 50  # rows a page of a big table's changelist (Django's default: 100)


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


class ListedChoices(ModelChoiceIterator):
    """A model choice field's options read with one plain query: Django's iterator reads
    them through a server-side cursor on PostgreSQL (declare, fetch, close), a fifth of the
    time of drawing the block form's 200 athletes. The same rows in the same order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():  # a fresh copy each time, as ``iterator()`` reads
            yield self.choice(obj)


class ListedMultipleChoiceField(ModelMultipleChoiceField):
    iterator = ListedChoices


class ReadOnlyInline(ReadOnlyTableInline):
    """Rows shown, not edited, on their parent's page, as one table written in Python
    (``coach/admin_tables.py``): far faster than a form per row, and sessions and steps are
    written through planning (``plan_session``), which an edit here would bypass."""


class SessionInline(ReadOnlyInline):
    model = Session
    fields = ["date", "slot", "title", "notation"]
    show_change_link = True


class VersionedHistoryAdmin(SimpleHistoryAdmin):
    """The history admin of a model with a ``version`` (blocks, sessions): a save here takes a
    new version (a restored one would otherwise bring its old number back)."""

    def save_model(self, request, obj, form, change):
        if change:
            history.claim_version(obj, None)
        super().save_model(request, obj, form, change)


@admin.register(Block)
class BlockAdmin(JoinedRawIds, VersionedHistoryAdmin):
    list_display = ["title", "coach", "start_date", "end_date", "place", "altitude_m", "archived"]
    # by coach: the people who coach a block (one query), not every account of the club
    list_filter = ["archived", ("coach", admin.RelatedOnlyFieldListFilter), "start_date"]
    list_per_page = BIG_TABLE_PAGE
    search_fields = ["title", "place", "goal_race_name"]
    list_select_related = ["coach"]
    raw_id_fields = ["coach"]
    filter_horizontal = ["athletes"]
    show_full_result_count = False
    change_list_template = QUICK_CHANGE_LIST
    inlines = [SessionInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """The athletes to choose from: every athlete of the club, read for their names only
        (``Athlete.__str__``), not a whole row each, in one plain query."""
        if db_field.name == "athletes":
            kwargs["queryset"] = Athlete.objects.only("pk", "display_name")
            kwargs["form_class"] = ListedMultipleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PlannedStepInline(ReadOnlyInline):
    model = PlannedStep
    fields = ["athlete", "position", "kind", "set_number", "rep_number", "distance_m",
              "duration_s", "target_text", "lactate_lo", "lactate_hi", "mode"]
    select_related = ("athlete",)  # one query for all


class AthleteVersionInline(ReadOnlyInline):
    """Athletes' own versions; change them on the session form, which re-plans them."""

    model = AthleteVersion
    fields = ["athlete", "notation", "squad_notation", "rep_count", "work_distance_m"]
    select_related = ("athlete",)


@admin.register(Session)
class SessionAdmin(JoinedRawIds, VersionedHistoryAdmin):
    list_display = ["date", "slot", "title", "block", "rep_count", "work_distance_m"]
    list_filter = ["slot", "is_quality", "date"]
    search_fields = ["title", "notation", "block__title"]
    list_select_related = ["block"]
    raw_id_fields = ["block"]
    show_full_result_count = False
    change_list_template = QUICK_CHANGE_LIST
    list_per_page = BIG_TABLE_PAGE
    inlines = [AthleteVersionInline, PlannedStepInline]
    history_list_display = ["date", "slot", "title", "notation"]

    def save_model(self, request, obj, form, change):
        """Saved (or restored) here: planned again from its notation, as the session form
        does, so the steps and targets follow the workout it now holds."""
        super().save_model(request, obj, form, change)
        try:
            planning.plan_session(obj)
        except notation.NotationError as exc:
            self.message_user(request, f"Saved, but not re-planned: {exc.message}",
                              messages.WARNING)


@admin.register(AthleteVersion)
class AthleteVersionAdmin(JoinedRawIds, SimpleHistoryAdmin):
    """Athletes' own versions, for their history and its restore; written on the session
    form. A version restored here re-plans its athlete."""

    list_display = ["__str__", "athlete", "session", "rep_count"]
    list_select_related = ["athlete", "session"]
    raw_id_fields = ["session", "athlete"]
    show_full_result_count = False
    history_list_display = ["notation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        try:
            planning.plan_athlete(obj.session, obj.athlete)
        except notation.NotationError as exc:
            self.message_user(request, f"Saved, but not re-planned: {exc.message}",
                              messages.WARNING)


@admin.register(PlannedTarget)
class PlannedTargetAdmin(JoinedRawIds, admin.ModelAdmin):
    list_display = ["__str__", "athlete", "target_lo_s", "target_hi_s", "sea_level_lo_s"]
    search_fields = ["athlete__display_name"]
    list_select_related = ["athlete"]
    raw_id_fields = ["step", "athlete"]
    show_full_result_count = False
    change_list_template = QUICK_CHANGE_LIST
    list_per_page = BIG_TABLE_PAGE
    paginator = LargeTablePaginator


class RepResultInline(ReadOnlyInline):
    """A log's reps as a table: each is changed on its own page (``RepResultAdmin``, which
    tells the athlete), found from its "Change" link or the link to the log's reps in their
    list under the table. As a form per rep, a log's page cost 50x a bare page."""

    model = RepResult
    fields = ["position", "distance_m", "actual_s", "target_lo_s", "target_hi_s", "avg_hr",
              "lactate", "note", "skipped", "extra"]
    show_change_link = True
    list_link = True


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
class SessionLogAdmin(JoinedRawIds, SimpleHistoryAdmin):
    list_display = ["__str__", "athlete", "session", "date_done", "rpe", "completed"]
    list_filter = ["completed", "date_done"]
    search_fields = ["athlete__display_name", "session__title"]
    list_select_related = ["athlete", "session"]
    raw_id_fields = ["session", "athlete"]
    show_full_result_count = False
    change_list_template = QUICK_CHANGE_LIST
    list_per_page = BIG_TABLE_PAGE
    paginator = LargeTablePaginator
    inlines = [RepResultInline, CommentInline]
    history_list_display = ["rpe", "completed"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.athlete.user_id != request.user.pk:  # the athlete's summary lists the change
            history.mark_changed_by_others(obj)


@admin.register(RepResult)
class RepResultAdmin(JoinedRawIds, SimpleHistoryAdmin):
    """Lean: no search or filters over millions of rows; find a rep from its log's page."""

    list_display = ["__str__", "distance_m", "actual_s", "target_lo_s", "avg_hr", "lactate",
                    "skipped", "extra", "from_device"]
    raw_id_fields = ["log", "step", "timed_by"]
    show_full_result_count = False
    change_list_template = QUICK_CHANGE_LIST
    list_per_page = BIG_TABLE_PAGE
    paginator = LargeTablePaginator
    history_list_display = ["actual_s", "skipped", "timed_by"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.log.athlete.user_id != request.user.pk:  # the athlete's summary lists it
            history.mark_changed_by_others(obj.log)


@admin.register(SessionTemplate)
class SessionTemplateAdmin(JoinedRawIds, admin.ModelAdmin):
    list_display = ["title", "coach", "created"]
    search_fields = ["title", "notation"]
    list_select_related = ["coach"]
    raw_id_fields = ["coach"]


@admin.register(DeviceImport)
class DeviceImportAdmin(JoinedRawIds, admin.ModelAdmin):
    """Watch files imported into logs (sessions/watch_import.py): to find one by its name or
    see what was stored; the match is read-only JSON."""

    list_display = ["__str__", "filename", "source", "status", "size", "created"]
    list_filter = ["status", "source"]
    search_fields = ["filename"]
    raw_id_fields = ["log", "uploaded_by"]
    readonly_fields = ["matches", "size", "source", "device", "started_at", "accepted_at"]
    show_full_result_count = False
