"""``{% steps_table rows athletes %}`` and ``{% target_sources sources %}``: the workout's rows
and where the targets came from, drawn by the Jinja2 fragments of ``sessions.step_rows`` inside
the session page, its print card and the live preview (docs/frontend.md, "Fast fragments")."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse

from coach.jinja2 import render_fragment, url_maker
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


@register.simple_tag(takes_context=True)
def session_tools(context) -> str:
    """The session page's tools for the block's coach (``templates/jinja2/training/
    session_tools.html``): move or copy, save as a template, delete. The page's context
    (``session``, ``slot_form``, ``template_form``, ``logs``, ``logged_names``) and its CSRF
    token, written as ``{% csrf_token %}`` writes it."""
    session, form = context["session"], context["template_form"]
    csrf_input = CsrfTokenNode().render(context)  # what {% csrf_token %} writes
    slot_form, title = context["slot_form"], form["title"]
    value = title.value()
    return render_fragment("training/session_tools.html", {
        "csrf_input": csrf_input,
        **{f"{name}_url": url_maker(f"training:session-{name.replace('_', '-')}")(session.pk)
           for name in ("move", "copy", "save_template", "delete")},
        "templates_url": reverse("training:templates"),
        "date_field": slot_form["date"].as_field_group(),
        "slot_field": slot_form["slot"].as_field_group(),
        "title_value": "" if value is None else value, "title_errors": title.errors,
        "notation_errors": form["notation"].errors, "existing": form.existing,
        "logs": bool(context["logs"]), "logged_names": context["logged_names"],
        "title": session.title, "day": step_rows.short_day_label(session.date),
        "slot": session.slot,
    })
