"""The dependency direction, read from the source (nothing is imported to check it):
``sessions/`` builds on ``athletes/``, never the other way round; the pace engine, the formats,
the world records and the notation are pure Python, without Django or the apps."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = ("coach.pace", "coach.formats", "coach.records", "coach.notation")


def imported_modules(source: str, package: str) -> set[str]:
    """Every module the source imports, as absolute names (``from .models import X`` in the
    package ``athletes`` is ``athletes.models`` and ``athletes.models.X``), wherever the import
    stands: top level, in a function, under ``if TYPE_CHECKING``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(filter(None, [*parts[: len(parts) - node.level + 1], base]))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def imports_of(path: Path) -> set[str]:
    package = ".".join(path.relative_to(ROOT).parts[:-1])
    return imported_modules(path.read_text(), package)


def python_files(*parts: str) -> list[Path]:
    where = ROOT.joinpath(*parts)
    return sorted(where.rglob("*.py")) if where.is_dir() else [where]


def _within(names: set[str], tops: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == top or n.startswith(f"{top}.") for top in tops))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", python_files("athletes"), ids=_name)
def test_athletes_imports_nothing_from_sessions(path):
    assert _within(imports_of(path), ("sessions",)) == []


@pytest.mark.parametrize("path", [
    *python_files("coach", "pace.py"), *python_files("coach", "formats.py"),
    *python_files("coach", "records.py"), *python_files("coach", "notation"),
], ids=_name)
def test_the_pace_engine_and_the_notation_import_nothing_of_django_or_the_apps(path):
    names = imports_of(path)
    assert _within(names, ("django", "athletes", "sessions")) == []
    assert [n for n in _within(names, ("coach",)) if not _within({n}, PURE)] == []


def test_the_scan_finds_relative_nested_and_guarded_imports():
    source = '''
from typing import TYPE_CHECKING
from . import actions
from ..sessions.models import Block
if TYPE_CHECKING:
    import sessions.planning
def later():
    from sessions import logbook
'''
    names = imported_modules(source, "athletes.sub")
    assert {"athletes.sub.actions", "athletes.sessions.models", "sessions.planning",
            "sessions.logbook"} <= names
    assert _within(names, ("sessions",)) == ["sessions", "sessions.logbook", "sessions.planning"]
