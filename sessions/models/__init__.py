"""The training app's models (app label ``training``), by what they hold: ``plans`` (blocks,
sessions, versions, steps, targets, templates), ``logs`` (logs, rep results, save receipts),
``comments`` (the conversation under a log), ``feeds`` (calendar feeds) and ``imports``
(watch files imported into a log). Import them from here."""

from .comments import (  # noqa: F401
    COMMENT_MAX_CHARS,
    Comment,
    CommentQuerySet,
    CommentRead,
)
from .feeds import CalendarFeed, CalendarFeedQuerySet  # noqa: F401
from .imports import DeviceImport, DeviceImportQuerySet, ImportStatus  # noqa: F401
from .logs import (  # noqa: F401
    RepResult,
    RepResultQuerySet,
    SaveReceipt,
    SessionLog,
    SessionLogQuerySet,
)
from .plans import (  # noqa: F401
    TIME_ZONES,
    AthleteGoal,
    AthleteVersion,
    Block,
    BlockQuerySet,
    PlannedStep,
    PlannedStepQuerySet,
    PlannedTarget,
    Session,
    SessionQuerySet,
    SessionTemplate,
    SessionTemplateQuerySet,
    Slot,
    StepKind,
    _volumes_not_negative,
)
