"""Progress of long stages: a bar with counts and time left on a terminal, silence elsewhere.

Off by default, so library calls from a notebook or a test print nothing; the command line turns
it on unless ``--stil``/``--quiet`` is given or the output is not a terminal (CI, pipes).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_enabled = False
_delay = 1.0  # seconds of work before a bar appears: short stages stay silent


def enable(on: bool = True, terminal_only: bool = True) -> None:
    global _enabled
    _enabled = on and (sys.stderr.isatty() or not terminal_only)


def enabled() -> bool:
    return _enabled


@contextmanager
def bar(label: str, total: int, unit: str = "") -> Iterator[Callable[[int], None]]:
    """``with bar("embed", n, "fragmenten") as advance: advance(k)``; shown only after a second of work."""
    if not _enabled or total <= 0:
        yield lambda n: None
        return
    from tqdm import tqdm

    with tqdm(
        total=total, desc=f"  {label}", unit=f" {unit}" if unit else "it", delay=_delay, mininterval=0.5, leave=False, file=sys.stderr
    ) as meter:
        yield meter.update
