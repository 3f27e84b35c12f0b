"""Check constraints the models share: a field is empty or within its bounds."""

from django.db import models
from django.db.models import Q


def empty_or(field: str, **lookups) -> Q:
    """``field`` is empty (NULL) or meets every lookup: ``empty_or("rpe", gte=1, lte=10)``."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__{k}": v for k, v in lookups.items()})


def check_empty_or(field: str, *, name: str, **lookups) -> models.CheckConstraint:
    """The check constraint ``name`` that ``field`` is empty or meets every lookup."""
    return models.CheckConstraint(condition=empty_or(field, **lookups), name=name)
