from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Absence, Athlete, PaceOverride, RaceResult, Squad, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_coach", "is_staff",
                    "is_active"]
    list_filter = ["is_coach", "is_staff", "is_active"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("Coaching", {"fields": ["is_coach"]}),
                 ("Daily email", {"fields": ["digest_opt_out", "digest_sent_at"]})]
    add_fieldsets = [*BaseUserAdmin.add_fieldsets, ("Coaching", {"fields": ["is_coach"]})]

    def _may_manage(self, request, obj) -> bool:
        """Another admin's or a superuser's account: only a superuser changes it."""
        return obj is None or obj == request.user or request.user.may_manage_account_of(obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)


class AthleteInline(admin.TabularInline):
    model = Athlete
    fields = ["display_name", "main_event", "user"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Squad)
class SquadAdmin(admin.ModelAdmin):
    list_display = ["name", "coach_names", "athlete_count"]
    search_fields = ["name", "coaches__username", "coaches__last_name"]
    filter_horizontal = ["coaches"]
    inlines = [AthleteInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("coaches", "athletes")

    @admin.display(description="Coaches")
    def coach_names(self, squad: Squad) -> str:
        return ", ".join(c.display_name for c in squad.coaches.all())

    @admin.display(description="Athletes")
    def athlete_count(self, squad: Squad) -> int:
        return len(squad.athletes.all())


class RaceResultInline(admin.TabularInline):
    model = RaceResult
    extra = 0


class PaceOverrideInline(admin.TabularInline):
    model = PaceOverride
    extra = 0


@admin.register(Athlete)
class AthleteAdmin(admin.ModelAdmin):
    list_display = ["display_name", "main_event", "squad", "user", "active"]
    list_filter = ["main_event", "squad", "user__is_active"]
    search_fields = ["display_name", "user__username", "user__email"]
    list_select_related = ["squad", "user"]
    filter_horizontal = ["coaches"]
    raw_id_fields = ["user"]
    inlines = [RaceResultInline, PaceOverrideInline]

    @admin.display(boolean=True, description="Active")
    def active(self, athlete: Athlete) -> bool:
        return athlete.user.is_active


@admin.register(RaceResult)
class RaceResultAdmin(admin.ModelAdmin):
    list_display = ["athlete", "distance_m", "time_s", "date", "race_name"]
    list_filter = ["date"]
    search_fields = ["athlete__display_name", "race_name"]
    list_select_related = ["athlete"]
    date_hierarchy = "date"


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["athlete", "reason", "start", "end", "note"]
    list_filter = ["reason", "start"]
    search_fields = ["athlete__display_name", "note"]
    list_select_related = ["athlete"]
    raw_id_fields = ["athlete", "created_by"]
    date_hierarchy = "start"
