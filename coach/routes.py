"""The URL convention the apps' URL confs share: an action's name, view and path say one word.

``action_paths(views, "session", "edit", "delete")`` is the routes ``edit/`` and ``delete/``,
served by ``views.session_edit`` and ``views.session_delete`` and named ``session-edit`` and
``session-delete``: the view is the name with underscores. An action of several words or
segments follows the same rule (``"copy-week"``: ``block_copy_week`` at ``copy-week/``;
``"import/review"``: ``log_import_review``, named ``log-import-review``). An action whose path
is not its name is given as a keyword: ``save_template="template/"`` is
``views.session_save_template``, named ``session-save-template``, at ``template/``. Routes
whose name is not their view's (``session`` for ``session_detail``) are written with ``path()``.
"""

from django.urls import URLPattern, path


def action_paths(views, resource: str, *actions: str, **paths: str) -> list[URLPattern]:
    """The routes named ``<resource>-<action>`` served by ``views.<resource>_<action>``: at
    ``<action>/`` for each action given by position, at the path given for each keyword."""
    routes = [(f"{resource}-{action.replace('/', '-')}", f"{action}/") for action in actions]
    routes += [(f"{resource}-{action.replace('_', '-')}", at) for action, at in paths.items()]
    return [path(at, getattr(views, name.replace("-", "_")), name=name) for name, at in routes]
