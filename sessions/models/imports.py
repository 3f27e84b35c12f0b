"""Watch files imported into a log (issue 14): the original file, kept through Django's storage
API (``default_storage``: a local folder or an S3-compatible bucket, coach/settings.py), and the
match of its laps to the planned reps that the athlete reviews before accepting it
(sessions/watch_import.py, docs/watch-import.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .logs import SessionLog


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"


def device_file_path(instance: DeviceImport, filename: str) -> str:
    """Where a watch file is stored: never under the name the browser sent (it is kept in
    ``DeviceImport.filename`` for the download), only its known ending."""
    ending = next((e for e in DeviceImport.ENDINGS if filename.lower().endswith(e)), ".bin")
    return f"watch-files/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ending}"


class DeviceImportQuerySet(models.QuerySet):
    def readable_by(self, user) -> DeviceImportQuerySet:
        """The files of the logs a user reads (``SessionLog.objects.for_user``: the athlete,
        their coaches now, admins)."""
        return self.filter(log__in=SessionLog.objects.for_user(user).values("pk"))


class DeviceImport(models.Model):
    """One watch file uploaded to a log: pending while the athlete reviews the match, accepted
    once its values are in the log. A log has at most one pending import (a new upload
    replaces it); accepted ones stay, with their files, for the coach to download."""

    ENDINGS = (".fit.gz", ".tcx.gz", ".gpx.gz", ".fit", ".tcx", ".gpx")

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="device_imports")
    file = models.FileField(upload_to=device_file_path, max_length=200)
    filename = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    size = models.PositiveIntegerField(help_text="Bytes, as uploaded (compressed or not).")
    source = models.CharField(max_length=8, help_text="fit, tcx or gpx, as read.")
    device = models.CharField(max_length=120, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="device_imports")
    created = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PENDING)
    accepted_at = models.DateTimeField(null=True, blank=True)
    matches = models.JSONField(
        default=dict, blank=True,
        help_text="The file's laps and their match to the planned reps (watch_import.Review).")

    objects = DeviceImportQuerySet.as_manager()

    class Meta:
        ordering = ["log", "-created"]
        constraints = [
            models.UniqueConstraint(fields=["log"], condition=Q(status="pending"),
                                    name="one_pending_import_per_log"),
            models.CheckConstraint(condition=Q(status__in=["pending", "accepted"]),
                                   name="device_import_status"),
        ]

    def __str__(self) -> str:
        return f"Watch file {self.pk} of log {self.log_id}"
