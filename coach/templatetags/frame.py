"""The page frame's parts that every page draws, written in Python (``templates/base.html``):

- ``{% frame_files %}``: the icon, style sheets and scripts every page names, the same for
  every request of a process (written once, and again when the static settings change);
- ``{% topbar %}``: the top bar (brand, the roles' links, the account menu with its log-out
  form), from the context as the template read it: ``user``, ``is_coach``, ``my_athlete``,
  ``is_admin``, ``nav`` and ``nav_urls``.

Both write the bytes the template language wrote for the same markup (the old frame is kept in
``tests/old_templates/base.html``; ``tests/test_frame.py`` compares them): as template code
they were some forty nodes rendered and an inheritance tree walked on every page.
"""

from functools import cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django_htmx.jinja import django_htmx_script

from coach.templatetags.coach_tags import _asset

register = template.Library()

_CSRF = CsrfTokenNode()


def _files_html(nonce) -> str:
    def url(path: str) -> str:
        return conditional_escape(_asset(path))

    return (
        f'<link rel="icon" href="{url("favicon.svg")}" type="image/svg+xml">\n'
        f'  <link rel="stylesheet" href="{url("css/app.css")}">\n'
        f'  <link rel="stylesheet" href="{url("css/print.css")}" media="print">\n'
        f'  <script src="{url("django_htmx/htmx-2.min.js")}" defer></script>'
        f'{conditional_escape(django_htmx_script(nonce=nonce))}\n'
        f'  <script src="{url("js/app.js")}" defer></script>'
    )


@cache
def _files() -> SafeString:
    return mark_safe(_files_html(None))  # nosec B308, B703: URLs escaped above


@receiver(setting_changed, dispatch_uid="coach-frame-forget-files")
def _forget_files(*, setting: str, **kwargs) -> None:
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT", "DEBUG", "INSTALLED_APPS"}:
        _files.cache_clear()


@register.simple_tag(takes_context=True)
def frame_files(context) -> SafeString:
    """The files of ``<head>`` (``{% static %}`` addresses and django-htmx's debug script)."""
    nonce = context.get("csp_nonce")
    if nonce is not None:
        return mark_safe(_files_html(nonce))  # nosec B308, B703: URLs escaped
    return _files()


def _link(urls: dict, key: str, nav, name: str, label: str) -> str:
    current = 'aria-current="page"' if nav == name else ""
    return (f'<li><a href="{conditional_escape(urls.get(key, ""))}" {current}>{label}</a></li>')


@register.simple_tag(takes_context=True)
def topbar(context) -> SafeString:
    """The ``<header>`` of every page: the brand, then for a signed-in person their links
    (a coach's plan and logs, an athlete's today, history and paces, an admin's roster) and
    the account menu."""
    urls = context.get("nav_urls")
    if not isinstance(urls, dict):
        urls = {}
    head = (f'<header class="topbar">\n    <nav aria-label="Main">\n'
            f'      <a class="brand" href="{conditional_escape(urls.get("home", ""))}">Coach</a>\n'
            f'      ')
    user = context.get("user")
    if not getattr(user, "is_authenticated", False):  # (a value without it: as signed out)
        return mark_safe(f"{head}\n    </nav>\n  </header>")  # nosec B308, B703: escaped
    nav = context.get("nav")
    is_coach, my_athlete, is_admin = (context.get("is_coach"), context.get("my_athlete"),
                                      context.get("is_admin"))
    parts = [head, '\n        <ul class="nav">\n          ']
    if is_coach:
        parts += [_link(urls, "plan", nav, "plan", "Plan"), "\n          ",
                  _link(urls, "logs", nav, "logs", "Logs")]
    parts.append("\n          ")
    if my_athlete:
        parts += [_link(urls, "today", nav, "today", "Today"), "\n          ",
                  _link(urls, "history", nav, "history", "History"), "\n          ",
                  _link(urls, "paces", nav, "profile", "Paces")]
    parts.append("\n          ")
    if is_admin:
        parts.append(_link(urls, "roster", nav, "roster", "Roster"))
    parts += ['\n        </ul>\n        <details class="account">\n          <summary>',
              conditional_escape(getattr(user, "display_name", "")),
              "</summary>\n          <ul>\n            "]
    if is_coach or my_athlete:
        parts.append(f'<li><a href="{conditional_escape(urls.get("calendar", ""))}">'
                     "Calendar feed</a></li>")
    parts.append(f'\n            <li><a href="{conditional_escape(urls.get("account", ""))}">'
                 "Change password</a></li>\n            ")
    if is_admin:
        parts.append(f'<li><a href="{conditional_escape(urls.get("admin", ""))}">'
                     "Django admin</a></li>")
    parts += ['\n            <li><form method="post" action="',
              conditional_escape(urls.get("logout", "")), '">', _CSRF.render(context),
              '<button type="submit" class="linklike">Log out</button></form></li>\n'
              "          </ul>\n        </details>\n      \n    </nav>\n  </header>"]
    return mark_safe("".join(parts))  # nosec B308, B703: every value escaped above
