"""Canonical text: ``format(workout)`` writes the text that ``parse`` reads back equal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.notation.model import Ladder, Part, Recovery, RepGroup, Rest, SetGroup, Target

if TYPE_CHECKING:
    from coach.notation.workout import Workout


def _targets_text(targets: tuple[Target, ...], series: tuple[Target, ...]) -> str:
    texts = [t.text for t in targets]
    if series:
        texts.append("/".join(str(t.name) for t in series) + " pace")
    return f" @ {', '.join(texts)}" if texts else ""


def _recovery_text(recovery: Recovery | None, set_recovery: Recovery | None) -> str:
    if recovery is None:
        return "" if set_recovery is None else f" ({set_recovery.text})"
    if set_recovery is None:
        return f" ({recovery.text})"
    return f" [{recovery.text} & {set_recovery.text}]"


def _part_text(part: Part) -> str:
    if isinstance(part, RepGroup):
        counts = "".join(f"{n}x" for n in ((part.sets,) if part.sets > 1 else ()) + (part.reps,))
        head = f"{counts}{part.work.text}" if part.sets > 1 or part.reps > 1 else part.work.text
        return (
            head
            + (f" {part.style}" if part.style else "")
            + _targets_text(part.targets, part.series)
            + _recovery_text(part.recovery, part.set_recovery)
        )
    if isinstance(part, Ladder):
        texts = [w.text for w in part.works]
        if not texts[-1].isdecimal():  # a unit at the end is read for every bare rung: 100m-30s
            texts = [t + "m" if t.replace(".", "").isdecimal() else t for t in texts]
        return (
            "-".join(texts)
            + _targets_text(part.targets, part.series)
            + _recovery_text(part.recovery, part.set_recovery)
        )
    if isinstance(part, SetGroup):
        inner = "; ".join(_part_text(p) for p in part.parts)
        return f"{part.sets}x({inner})" + _recovery_text(None, part.set_recovery)
    if isinstance(part, Rest):
        return f"{part.amount.text} {part.mode}"
    word = {"warmup": "WU", "cooldown": "CD", "easy": "easy"}[part.kind]
    return f"{part.amount.text} {word}"


def format(workout: Workout) -> str:
    """The canonical text of a workout; ``parse(format(w)) == w``."""
    texts = []
    label: str | None = None
    for part in workout.parts:
        text = _part_text(part)
        if part.label is not None and part.label != label:
            text = f"{part.label}: {text}"
        label = part.label
        texts.append(text)
    body = "; ".join(texts)
    return f"{body} # {workout.note}" if workout.note else body
