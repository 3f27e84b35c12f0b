from django.urls import path

from . import log_views, views

app_name = "training"

# Coach planning: blocks, calendar, sessions, templates (views.py).
urlpatterns = [
    path("plan/", views.coach_home, name="coach-home"),
    path("blocks/new/", views.block_new, name="block-new"),
    path("blocks/<int:pk>/", views.block_detail, name="block"),
    path("blocks/<int:pk>/edit/", views.block_edit, name="block-edit"),
    path("blocks/<int:pk>/archive/", views.block_archive, name="block-archive"),
    path("blocks/<int:pk>/copy-week/", views.block_copy_week, name="block-copy-week"),
    path("blocks/<int:pk>/sessions/new/", views.session_new, name="session-new"),
    path("blocks/<int:pk>/preview/", views.session_preview, name="session-preview"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session-delete"),
    path("sessions/<int:pk>/move/", views.session_move, name="session-move"),
    path("sessions/<int:pk>/copy/", views.session_copy, name="session-copy"),
    path("sessions/<int:pk>/template/", views.session_save_template,
         name="session-save-template"),
    path("sessions/<int:pk>/versions/<int:athlete>/squad/", views.session_back_to_squad,
         name="session-back-to-squad"),
    path("sessions/<int:pk>/print/", views.session_print, name="session-print"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template-edit"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template-delete"),
]

# Athletes logging what they ran (log_views.py).
urlpatterns += [
    path("today/", log_views.today, name="today"),
    path("history/", log_views.history, name="history"),
    path("sessions/<int:pk>/log/", log_views.log, name="log"),
    path("sessions/<int:pk>/log/add/", log_views.log_rep_add, name="log-rep-add"),
    path("sessions/<int:pk>/log/reps/<int:position>/", log_views.new_rep_save,
         name="new-rep-save"),
    path("sessions/<int:pk>/log/reps/<int:position>/skip/", log_views.new_rep_skip,
         name="new-rep-skip"),
    path("logs/", log_views.coach_logs, name="logs"),
    path("logs/<int:pk>/", log_views.log_summary, name="log-summary"),
    path("logs/<int:pk>/comment/", log_views.log_comment, name="log-comment"),
    path("logs/<int:pk>/reps/add/", log_views.rep_add, name="rep-add"),
    path("reps/<int:pk>/", log_views.rep_save, name="rep-save"),
    path("reps/<int:pk>/skip/", log_views.rep_skip, name="rep-skip"),
    path("reps/<int:pk>/remove/", log_views.rep_remove, name="rep-remove"),
]
