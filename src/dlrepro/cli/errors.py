"""The one-line ``Error: ...`` of a command whose library call rejects its input or settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from dlrepro.io import InputError


@contextmanager
def one_line_errors(*errors: type[Exception], message: str = "{}") -> Iterator[None]:
    """Turn ``errors`` (default ValueError) raised inside into ``message`` (``{}``: the error's text)
    with exit status 1, not a traceback. An :class:`InputError` names its file already: its text is
    the line as it is."""
    caught = errors or (ValueError,)
    try:
        yield
    except InputError as err:
        raise click.ClickException(str(err)) from err
    except caught as err:
        raise click.ClickException(message.replace("{}", str(err))) from err
