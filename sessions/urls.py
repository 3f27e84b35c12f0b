from django.urls import include, path

from . import (
    block_views,
    digest_views,
    export_views,
    import_views,
    log_views,
    stopwatch_views,
    template_views,
    thread_views,
    trend_views,
    views,
)

app_name = "training"

# Coach planning: the home, blocks and their calendar (block_views.py), sessions (views.py),
# templates (template_views.py).
urlpatterns = [
    path("plan/", views.coach_home, name="coach-home"),
    path("blocks/new/", block_views.block_new, name="block-new"),
    path("blocks/<int:pk>/", include([
        path("", block_views.block_detail, name="block"),
        path("edit/", block_views.block_edit, name="block-edit"),
        path("archive/", block_views.block_archive, name="block-archive"),
        path("copy-week/", block_views.block_copy_week, name="block-copy-week"),
        path("overview/", trend_views.block_overview, name="block-overview"),
        path("sessions/new/", views.session_new, name="session-new"),
        path("preview/", views.session_preview, name="session-preview"),
    ])),
    path("sessions/<int:pk>/", include([
        path("", views.session_detail, name="session"),
        path("edit/", views.session_edit, name="session-edit"),
        path("delete/", views.session_delete, name="session-delete"),
        path("move/", views.session_move, name="session-move"),
        path("copy/", views.session_copy, name="session-copy"),
        path("template/", views.session_save_template, name="session-save-template"),
        path("versions/<int:athlete>/squad/", views.session_back_to_squad,
             name="session-back-to-squad"),
        path("print/", views.session_print, name="session-print"),
        path("changes/", views.session_changes, name="session-changes"),
    ])),
    path("templates/", template_views.template_list, name="templates"),
    path("templates/<int:pk>/edit/", template_views.template_edit, name="template-edit"),
    path("templates/<int:pk>/delete/", template_views.template_delete, name="template-delete"),
]

# Athletes logging what they ran (log_views.py).
urlpatterns += [
    path("today/", log_views.today, name="today"),
    path("history/", log_views.history, name="history"),
    path("sessions/<int:pk>/log/", include([
        path("", log_views.log, name="log"),
        path("add/", log_views.log_rep_add, name="log-rep-add"),
        path("reps/<int:position>/", log_views.new_rep_save, name="new-rep-save"),
        path("reps/<int:position>/skip/", log_views.new_rep_skip, name="new-rep-skip"),
        path("reps/<int:position>/more/", log_views.rep_more, name="rep-more"),
        # a watch file into the log (import_views.py, docs/watch-import.md)
        path("import/", import_views.log_import, name="log-import"),
        path("import/review/", import_views.log_import_review, name="log-import-review"),
        path("import/accept/", import_views.log_import_accept, name="log-import-accept"),
    ])),
    path("logs/", log_views.coach_logs, name="logs"),
    path("logs/<int:pk>/", include([
        path("", log_views.log_summary, name="log-summary"),
        path("comment/", thread_views.comment_add, name="log-comment"),
        path("reps/add/", log_views.rep_add, name="rep-add"),
        path("watch-files/<int:file_pk>/", import_views.watch_file, name="log-watch-file"),
    ])),
    path("comments/<int:pk>/delete/", thread_views.comment_delete, name="comment-delete"),
    path("reps/<int:pk>/", include([
        path("", log_views.rep_save, name="rep-save"),
        path("skip/", log_views.rep_skip, name="rep-skip"),
        path("remove/", log_views.rep_remove, name="rep-remove"),
    ])),
]

# The coach's stopwatch at the track (stopwatch_views.py, docs/stopwatch.md).
urlpatterns += [
    path("sessions/<int:pk>/stopwatch/", include([
        path("", stopwatch_views.stopwatch_page, name="stopwatch"),
        path("results/", stopwatch_views.stopwatch_result, name="stopwatch-result"),
        path("table/", stopwatch_views.stopwatch_table, name="stopwatch-table"),
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
    path("calendar/change/", export_views.calendar_change, name="calendar-change"),
    path("calendar/<str:token>.ics", export_views.calendar_feed_ics, name="calendar-feed"),
]
