"""Progress of long work: a live tqdm bar on a terminal, plain lines in a log file.

tqdm redraws its bar with carriage returns, which turns a rule's ``log:`` file into one long
line of frames; away from a terminal :func:`progress_bar` writes a whole line every
``LOG_INTERVAL_S`` seconds and one at the end instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from tqdm import tqdm

LOG_INTERVAL_S = 30.0
LOG_FORMAT = "{desc}: {n_fmt}/{total_fmt} {unit} [{elapsed}<{remaining}, {rate_fmt}{postfix}]"


class LogLines(tqdm):
    """tqdm that writes its status as whole lines (no bar, no ``\\r``), the rate averaged since the start."""

    def __init__(self, iterable: Iterable | None = None, **kwargs: Any):
        # a log gets a line every LOG_INTERVAL_S whatever refresh rate the caller chose for terminals
        fixed = {"mininterval": LOG_INTERVAL_S, "smoothing": 0, "leave": False}
        super().__init__(iterable, **({"bar_format": LOG_FORMAT} | kwargs | fixed))

    def display(self, msg: str | None = None, pos: int | None = None) -> bool:
        line = self.__str__() if msg is None else msg
        if line:  # tqdm clears its line with msg='': a log has nothing to clear
            self.fp.write(line + "\n")
            self.fp.flush()
        return bool(line)

    def set_postfix(self, ordered_dict: Any = None, refresh: bool = True, **kwargs: Any) -> None:
        # tqdm redraws on every postfix change; a log line waits for LOG_INTERVAL_S like any other
        super().set_postfix(ordered_dict, refresh=False, **kwargs)

    def close(self) -> None:
        if not self.disable and self.n != self.last_print_n:
            self.display()
        super().close()


def progress_bar(iterable: Iterable | None = None, **kwargs: Any) -> tqdm:
    """``tqdm(iterable, **kwargs)`` on a terminal, :class:`LogLines` when its output is not one."""
    stream = kwargs.get("file") or sys.stderr
    if stream.isatty():
        return tqdm(iterable, **kwargs)
    return LogLines(iterable, **kwargs)
