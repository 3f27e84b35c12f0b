"""``{% rep_rows rows %}``: the log page's rows, drawn by the Jinja2 fragment of
``sessions.log_rows`` inside Django templates (the page around them stays Django's);
``{% log_progress progress oob %}``: the progress line, drawn by the same Jinja2 template as a
save's answer draws it."""

from django import template

from sessions import log_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def rep_rows(context, rows, cid: str | None = None) -> str:
    """``rows``: one ``log_rows.Row`` or several; ``cid``: the save being answered."""
    if isinstance(rows, log_rows.Row):
        rows = [rows]
    return log_rows.render_rows(rows, csrf_token=str(context.get("csrf_token", "")), cid=cid)


@register.simple_tag
def log_progress(progress, oob=False) -> str:
    """The log's progress line (``oob``: out of band, in an htmx answer)."""
    return log_rows.render_progress(progress, oob=bool(oob))


@register.filter
def log_url(session_id) -> str:
    """``/sessions/<s>/log/`` (``log_rows.log_base_url``: reversed once per session, where a
    ``{% url %}`` reverses on every use; the log page named it six times)."""
    return log_rows.log_base_url(session_id)


@register.simple_tag(takes_context=True)
def log_page(context) -> str:
    """The log page's header, progress and rows by set (Jinja2: ``log_rows.render_page``)."""
    return log_rows.render_page(context)


@register.simple_tag(takes_context=True)
def log_rep_add(context) -> str:
    """"Add a rep" alone (an htmx answer): ``log_rows.render_form``."""
    return log_rows.render_form("rep-add", context)


@register.simple_tag(takes_context=True)
def log_details(context) -> str:
    """"How it went" alone (an htmx answer): ``log_rows.render_form``."""
    return log_rows.render_form("log-details", context)
