from django.urls import include, path

from coach.routes import action_paths

from . import (
    block_views,
    digest_views,
    export_views,
    import_views,
    list_views,
    log_views,
    stopwatch_views,
    template_views,
    thread_views,
    trend_views,
    views,
)

app_name = "training"

# Coach planning: the home, blocks and their calendar (block_views.py), sessions (views.py),
# templates (template_views.py). ``action_paths(views, "session", "edit")`` is ``edit/`` served by
# ``views.session_edit`` and named ``session-edit``; ``new="sessions/new/"`` gives the path of an
# action whose path is not its name (coach/routes.py).
urlpatterns = [
    path("plan/", views.coach_home, name="coach-home"),
    path("blocks/new/", block_views.block_new, name="block-new"),
    path("blocks/<int:pk>/", include([
        path("", block_views.block_detail, name="block"),
        *action_paths(block_views, "block", "edit", "archive", "copy-week"),
        *action_paths(trend_views, "block", "overview"),
        *action_paths(views, "session", "preview", new="sessions/new/"),
    ])),
    path("sessions/<int:pk>/", include([
        path("", views.session_detail, name="session"),
        *action_paths(views, "session", "edit", "delete", "move", "copy", "print", "changes",
                      save_template="template/",
                      back_to_squad="versions/<int:athlete>/squad/"),
    ])),
    path("templates/", template_views.template_list, name="templates"),
    path("templates/<int:pk>/", include(
        action_paths(template_views, "template", "edit", "delete"))),
]

# Athletes logging what they ran (log_views.py), the lists of logs (list_views.py).
urlpatterns += [
    path("today/", list_views.today, name="today"),
    path("history/", list_views.history, name="history"),
    path("logs/", list_views.coach_logs, name="logs"),
    path("sessions/<int:pk>/log/", include([
        path("", log_views.log, name="log"),
        *action_paths(log_views, "log-rep", "add"),
        path("reps/<int:position>/", include([
            *action_paths(log_views, "new-rep", "skip", save=""),
            *action_paths(log_views, "rep", "more"),
        ])),
        # a watch file into the log (import_views.py, docs/watch-import.md)
        *action_paths(import_views, "log", "import", "import/review", "import/accept"),
    ])),
    path("logs/<int:pk>/", include([
        *action_paths(log_views, "log", summary=""),
        path("comment/", thread_views.comment_add, name="log-comment"),
        *action_paths(log_views, "rep", add="reps/add/"),
        path("watch-files/<int:file_pk>/", import_views.watch_file, name="log-watch-file"),
    ])),
    path("comments/<int:pk>/delete/", thread_views.comment_delete, name="comment-delete"),
    path("reps/<int:pk>/", include(action_paths(log_views, "rep", "skip", "remove", save=""))),
]

# The coach's stopwatch at the track (stopwatch_views.py, docs/stopwatch.md).
urlpatterns += [
    path("sessions/<int:pk>/stopwatch/", include([
        path("", stopwatch_views.stopwatch_page, name="stopwatch"),
        *action_paths(stopwatch_views, "stopwatch", "table", result="results/"),
    ])),
]

# The daily email's opt-out, by a signed link (digest_views.py).
urlpatterns += [
    path("digest/<str:token>/", digest_views.opt_out, name="digest-opt-out"),
]

# The plan outside the app: a session for the watch, the calendar feed (export_views.py,
# docs/watch-export-and-calendar.md). The feed itself needs no login: its token is the key.
urlpatterns += [
    path("sessions/<int:pk>/watch/<int:athlete>/", export_views.session_watch_file,
         name="session-watch-file"),
    path("calendar/", export_views.calendar_page, name="calendar"),
    *action_paths(export_views, "calendar", change="calendar/change/"),
    path("calendar/<str:token>.ics", export_views.calendar_feed_ics, name="calendar-feed"),
]
