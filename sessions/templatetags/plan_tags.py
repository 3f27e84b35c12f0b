"""``{% steps_table rows athletes %}`` and ``{% target_sources sources %}``: the workout's rows
and where the targets came from, drawn by the Jinja2 fragments of ``sessions.step_rows`` inside
the session page, its print card and the live preview (docs/frontend.md, "Fast fragments")."""

from django import template
from django.urls import reverse

from sessions import step_rows

register = template.Library()


@register.simple_tag
def steps_table(rows, athletes=None) -> str:
    """``rows``: ``step_rows.StepRow``; ``athletes``: a column each (None: no targets)."""
    return step_rows.render_table(rows, athletes)


@register.simple_tag
def target_sources(sources, names=False) -> str:
    """``sources``: ``(name, line)`` pairs; ``names``: show each athlete's name."""
    return step_rows.render_sources(sources, names=bool(names))


@register.simple_tag
def workout_history(histories, user) -> str:
    """``histories``: ``workout_history.History`` per athlete; ``user``: the viewer (whose own
    history goes without their name)."""
    return step_rows.render_histories(histories, user.pk)


@register.simple_tag
def version_fields(versions_form, block) -> str:
    """The session form's own-version boxes (``versions.VersionsForm.render``), each sending
    the form to ``block``'s live preview."""
    return versions_form.render(reverse("training:session-preview", args=[block.pk]))
