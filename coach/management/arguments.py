"""Command-line arguments that mean the same in every command that takes them."""

from __future__ import annotations


def add_altitude(parser) -> None:
    """``--altitude``: metres above sea level, where the paces are run (0: sea level)."""
    parser.add_argument("--altitude", type=float, default=0, help="metres above sea level")
