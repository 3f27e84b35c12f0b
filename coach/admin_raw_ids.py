"""Raw-id boxes that name their object without a query of their own (docs/perf-admin.md,
session 8).

Next to each raw-id box (``raw_id_fields``) Django writes the related object's name and a
link to it, and reads that object with a query of its own: two or three queries on a log's or
a rep's change page. ``JoinedRawIds`` reads the page's object with those related objects
joined (one query), and its form hands each box the object its instance holds. The box uses
it only when it is the one Django would have read: the value shown is that object's key, and
the related model's default manager filters nothing out. Anything else (a value sent back
that names another row, a manager with a filter) is looked up as Django looks it up. The name
and the link are written as Django writes them."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator


class KnownObjectRawIdWidget(ForeignKeyRawIdWidget):
    """Django's raw-id box; ``known`` is the related object the form's instance holds."""

    known = None

    def label_and_url_for_value(self, value):
        known, model = self.known, self.rel.model
        if (known is None or type(known) is not model
                or not self.rel.get_related_field().primary_key
                or str(known.pk) != str(value)
                or model._default_manager.all().query.where):  # Django would not find it
            return super().label_and_url_for_value(value)
        try:
            url = reverse(f"{self.admin_site.name}:{model._meta.app_label}_"
                          f"{model._meta.model_name}_change", args=(known.pk,))
        except NoReverseMatch:
            url = ""  # as Django: the model has no admin
        return Truncator(known).words(14), url


class KnownObjectsForm(forms.ModelForm):
    """The admin's model form: each raw-id box is given the object its instance holds (read
    in the same query as the instance, ``JoinedRawIds.get_object``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        for name, field in self.fields.items():
            if isinstance(field.widget, KnownObjectRawIdWidget):
                model_field = instance._meta.get_field(name)
                if model_field.is_cached(instance):
                    field.widget.known = model_field.get_cached_value(instance)


class JoinedRawIds:
    """A ``ModelAdmin`` mixin: its page's object is read with its raw-id objects joined, and
    its raw-id boxes name them from there (module docstring)."""

    form = KnownObjectsForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if ("widget" not in kwargs and db_field.name in self.raw_id_fields
                and db_field.name not in self.get_autocomplete_fields(request)):
            kwargs["widget"] = KnownObjectRawIdWidget(db_field.remote_field, self.admin_site,
                                                      using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        """Django's ``get_object``, the raw-id foreign keys joined."""
        queryset = self.get_queryset(request)
        model = queryset.model
        joined = [name for name in self.raw_id_fields
                  if model._meta.get_field(name).many_to_one]
        queryset = queryset.select_related(*joined)
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            object_id = field.to_python(object_id)
            return queryset.get(**{field.name: object_id})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None
