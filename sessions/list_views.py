"""The lists of logs: the athlete's Today (what to log today and what is left) and History,
and the coach's ``/logs/`` of their athletes' logs, newest first, a page at a time (Newer /
Older links: the lists never count their logs). The rows are drawn from plain rows by
``sessions.log_list``; each list's queries are compiled once per shape (``coach.prepared``).

Access (coach/access.py): an athlete sees their own logs (``athlete_required``), a coach their
athletes' (``SessionLog.objects.for_user``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from athletes.models import Athlete
from coach import formats, prepared
from coach.access import athlete_required, coach_required
from coach.jinja2 import url_maker

from . import (
    attention,
    availability,
    home_lists,
    log_list,
    summary_reads,
)
from .models import AthleteVersion, Comment, Session, SessionLog


def _logs_with_reps(logs, user):
    """Logs for a list, as the rows it shows (``log_list.LISTED``): session, block, athlete,
    and the number of comments ``user`` may read on each (an athlete's own logs: without the
    coaches' private notes). Their reps' adherence is read for the page shown
    (``log_list.items``: one query of plain rows)."""
    readable = Q(private=False) | ~Q(log__athlete__user=user)
    # A subquery per listed log rather than a join and GROUP BY: with the join, PostgreSQL
    # grouped every log of the list (years of them) before taking the page's 31 (150 ms for a
    # coach of 200 athletes x 156 weeks); without it, it reads the newest logs in index order
    # and counts comments for those alone (4 ms).
    counts = (Comment.objects.filter(log=OuterRef("pk")).filter(readable).order_by()
              .values("log").annotate(n=Count("pk")).values("n"))
    return (logs.annotate(comment_count=Coalesce(Subquery(counts, output_field=IntegerField()),
                                                 0))
            .values_list(*log_list.LISTED))


LOGS_PER_PAGE = 30


@dataclass
class LogPage:
    """A page of a newest-first list of logs, read without counting the list: a count reads
    every log of the list (years of them), where a page reads one more row than it shows
    (``log_newest`` and ``log_athlete_newest`` keep the order in an index)."""

    logs: list  # the page's rows (log_list.ListedLog)
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.logs)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def log_page(logs, page: str | None) -> LogPage:
    """Page ``page`` (from 1) of ``logs``; the first page for anything else or past the end.
    ``logs``: a queryset, or a function ``(start, stop) -> list`` that reads that slice."""
    number = int(page) if page and page.isdecimal() and int(page) > 0 else 1
    start = (number - 1) * LOGS_PER_PAGE
    read = logs if callable(logs) else (lambda a, b: list(logs[a:b]))
    rows = read(start, start + LOGS_PER_PAGE + 1)
    if not rows and number > 1:
        return log_page(read, None)
    return LogPage(rows[:LOGS_PER_PAGE], number, len(rows) > LOGS_PER_PAGE)


def _athlete_logs(user_id: int, athlete_id: int):
    """An athlete's logs with something in them, newest first, for a list read by ``user_id``
    (``_logs_with_reps``)."""
    return _logs_with_reps(SessionLog.objects.filter(athlete_id=athlete_id).started()
                           .order_by("-date_done", "-created"), user_id)


PREPARED_PAGES = 5  # the first pages of a list are compiled once each; later ones, per request


def _prepared_slice(key: str, build, *args):
    """``(start, stop) -> logs``: the slice of ``build(*args)``, its SQL compiled once per
    slice (``coach.prepared``: LIMIT and OFFSET are written into the SQL) for the first
    ``PREPARED_PAGES`` pages; a page further back is read through the ORM, so that walking
    ``?page=`` far back cannot fill the shared cache of compiled statements."""
    def read(start: int, stop: int) -> list[log_list.ListedLog]:
        if start >= PREPARED_PAGES * LOGS_PER_PAGE:
            rows = list(build(*args)[start:stop])
        else:
            rows = prepared.rows(f"{key}:{start}:{stop}",
                                 lambda *values: build(*values)[start:stop], *args)[1]
        return [log_list.ListedLog(*row) for row in rows]
    return read


# --- today and history ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TodayLog:
    """What Today reads of the athlete's log of a session (``my_log``): it exists and holds
    something (``SessionLog.objects.started``), and whether it is complete."""

    pk: int
    completed: bool


@dataclass(frozen=True, slots=True)
class TodayVersion:
    """What Today reads of the athlete's own version of a session (``my_version``, drawn as
    the plan instead of the squad's): its workout and totals."""

    notation: str
    rep_count: int
    total_distance_m: float
    estimated_duration_s: float


VERSION_FIELDS = ("pk", *TodayVersion.__slots__)


def _window_sessions(athlete_id: int, first: dt.date, last: dt.date):
    """The sessions with what Today shows of the athlete's log and own version, each a
    subquery (one log and one version at most per session and athlete: unique constraints)."""
    log = (SessionLog.objects.filter(session_id=OuterRef("pk"), athlete_id=athlete_id)
           .started())
    version = AthleteVersion.objects.filter(session_id=OuterRef("pk"), athlete_id=athlete_id)
    return (Session.objects.filter(block__athletes=athlete_id, block__archived=False)
            .filter(date__gte=first, date__lte=last).select_related("block")
            .annotate(log_pk=Subquery(log.values("pk")[:1]),
                      log_completed=Subquery(log.values("completed")[:1]),
                      **{f"version_{name}": Subquery(version.values(name)[:1])
                         for name in VERSION_FIELDS})
            .order_by("date", "slot"))


def _today_window(athlete_id: int, first: dt.date, last: dt.date) -> list[Session]:
    """The athlete's sessions from ``first`` to ``last`` (``Session.objects.for_athlete``)
    with their block, their log if it holds something (``my_log``) and their own version
    (``my_version``): one query, compiled once (``coach.prepared``)."""
    sessions = prepared.objects("today_sessions", _window_sessions, athlete_id, first, last)
    for s in sessions:
        s.my_log = None if s.log_pk is None else TodayLog(s.log_pk, s.log_completed)
        s.my_version = None if s.version_pk is None else TodayVersion(
            *(getattr(s, f"version_{name}") for name in TodayVersion.__slots__))
    return sessions


@require_GET
@athlete_required
def today(request: HttpRequest, athlete: Athlete) -> HttpResponse:
    """The athlete's home: today's sessions in each block's time zone, the next days, the last
    days' sessions still to log (``attention.missing_logs``, and the logs left unfinished), and
    the last logs. On days they are out (``athletes.models.Absence``) sessions read as
    unavailable, not due; logging them stays open."""
    server_today = timezone.now().date()
    window = _today_window(athlete.pk, server_today - dt.timedelta(days=4),
                           server_today + dt.timedelta(days=8))
    # read once for the days shown and for the missing logs' look-back (attention.py)
    absences = availability.Absences(
        [athlete], server_today - dt.timedelta(days=attention.LOOKBACK_DAYS + 2),
        server_today + dt.timedelta(days=9))
    todays, upcoming, unfinished = [], [], []
    for s in window:
        local_today = s.block.today()
        s.out = absences.on(athlete.pk, s.date)
        s.plan = s.my_version or s  # what this athlete runs: their own version or the squad's
        # a run without reps reads as planned (8 mi, 50 min), not as "0 km"
        s.amount_label = "" if s.plan.rep_count else formats.format_amount(
            s.plan.total_distance_m or None, s.plan.estimated_duration_s or None)
        if s.date == local_today:
            todays.append(s)
        elif local_today < s.date <= local_today + dt.timedelta(days=6):
            upcoming.append(s)
        elif s.date < local_today and s.my_log and not s.my_log.completed:
            unfinished.append(s)  # started, not finished
    missing = attention.missing_logs_of(athlete, absences=absences)
    for item in missing:
        item.session.my_log = None
    unfinished = sorted(unfinished + [m.session for m in missing],
                        key=lambda s: (s.date, s.slot), reverse=True)
    _addresses([*todays, *upcoming, *unfinished])
    logs = _prepared_slice("today_logs", _athlete_logs, request.user.pk, athlete.pk)(0, 5)
    here = window[0].block.today() if window else server_today  # the athlete's today
    return render(request, "training/today.html", {
        "athlete": athlete, "todays": todays, "upcoming": upcoming,
        "unfinished": unfinished, "more_missing": missing.more, "logs": logs, "nav": "today",
        "logs_html": log_list.render_items(logs),
        "today": here,  # their days out from today, as far as the next days shown
        "my_absences": [a for a in absences.by_athlete[athlete.pk] if a.end >= here],
        # an athlete's own missing logs are "Still to log" above; a coach who also runs
        # sees their athletes' here too
        **home_lists.attention_context(
            request.user, skip_sessions=frozenset(s.pk for s in unfinished),
            found=None if request.user.is_coach else attention.MissingLogs(),
            more_url=reverse("training:history")),
    })


def _addresses(sessions: list[Session]) -> None:
    """What Today writes of each session it lists besides its fields: its day ("Tue 3 Mar")
    and the addresses of its plan, its log form and its log's summary, each URL reversed once
    a page (``url_maker``) rather than by a ``{% url %}`` per session."""
    log_url, plan_url = url_maker("training:log"), url_maker("training:session")
    summary_url = url_maker("training:log-summary")
    for s in sessions:
        s.day_label = log_list.day_label(s.date)
        s.log_url, s.plan_url = log_url(s.pk), plan_url(s.pk)
        s.summary_url = summary_url(s.my_log.pk) if getattr(s, "my_log", None) else ""


@require_GET
@athlete_required
def history(request: HttpRequest, athlete: Athlete) -> HttpResponse:
    """The athlete's logs, newest first, with adherence at a glance."""
    page = log_page(_prepared_slice("history_logs", _athlete_logs, request.user.pk, athlete.pk),
                    request.GET.get("page"))
    return render(request, "training/history.html", {
        "page": page, "logs_html": log_list.render_items(page.logs), "nav": "history"})


@require_GET
@coach_required
def coach_logs(request: HttpRequest) -> HttpResponse:
    """A coach's view of their athletes' logs, newest first; ``?athlete=`` narrows to one."""
    user = request.user
    athletes = Athlete.objects.for_coach(user).active()  # those who left drop out
    chosen = None
    if request.GET.get("athlete", "").isdecimal():
        chosen = get_object_or_404(athletes, pk=request.GET["athlete"])

    def coach_logs(user_id: int, *athlete_id: int):
        mine = Athlete.objects.for_coach(summary_reads.viewer(user_id, user)).active()
        logs = SessionLog.objects.started().filter(athlete__in=mine)
        if athlete_id:
            logs = logs.filter(athlete_id=athlete_id[0])
        return _logs_with_reps(logs.order_by("-date_done", "-created"), user_id)

    key = f"coach_logs:{user.is_coach:d}:{chosen is not None:d}"
    args = (user.pk, chosen.pk) if chosen else (user.pk,)
    page = log_page(_prepared_slice(key, coach_logs, *args), request.GET.get("page"))

    def coach_athletes(user_id: int):
        return (Athlete.objects.for_coach(summary_reads.viewer(user_id, user)).active()
                .order_by("display_name").values_list("pk", "display_name"))

    athletes = prepared.rows(f"coach_logs_athletes:{user.is_coach:d}", coach_athletes,
                             user.pk)[1]
    return render(request, "training/logs.html", {
        "page": page, "logs_html": log_list.render_items(page.logs, show_athlete=True),
        "athlete_options": _athlete_options(athletes, chosen.pk if chosen else None),
        "chosen": chosen,
        "nav": "logs",
    })


def _athlete_options(athletes: list[tuple[int, str]], chosen: int | None) -> SafeString:
    """The filter's ``<option>`` of each athlete (``(pk, name)``), ``chosen`` selected: written
    here rather than by a template loop over athlete instances, escaped as Django escapes."""
    # every name is escaped here, the pks are ints
    return SafeString("".join(  # nosec
        f'<option value="{pk}"{" selected" if pk == chosen else ""}>{escape(name)}</option>'
        for pk, name in athletes))
