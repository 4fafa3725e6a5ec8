"""Progress bars: live on a terminal, whole lines in a log file."""

import io

from tqdm import tqdm

from dlrepro.progress import LogLines, progress_bar


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_log_gets_whole_lines_without_carriage_returns():
    log = io.StringIO()
    with progress_bar(total=3, desc="features", unit="img", file=log) as bar:
        for _ in range(3):
            bar.update(1)
    text = log.getvalue()
    assert "\r" not in text
    lines = text.splitlines()
    assert lines[0].startswith("features: 0/3 img") and lines[-1].startswith("features: 3/3 img")
    assert text.endswith("\n") and "" not in lines


def test_a_postfix_per_step_adds_no_line_of_its_own():
    """The training loop sets a postfix every epoch: the log still gets its first and last line only."""
    log = io.StringIO()
    with progress_bar(total=50, desc="epochs", file=log) as bar:
        for epoch in range(50):
            bar.update(1)
            bar.set_postfix(train_error=f"{1 / (epoch + 1):.3f}")
    lines = log.getvalue().splitlines()
    assert len(lines) == 2 and lines[-1].startswith("epochs: 50/50") and "train_error=0.020" in lines[-1]


def test_an_iterable_is_passed_through_and_counted():
    log = io.StringIO()
    assert list(progress_bar(range(4), desc="epochs", file=log)) == [0, 1, 2, 3]
    assert log.getvalue().splitlines()[-1].startswith("epochs: 4/4 it")


def test_a_terminal_gets_the_live_bar():
    terminal = Terminal()
    bar = progress_bar(total=2, desc="photos", file=terminal)
    bar.update(2)
    bar.close()
    assert type(bar) is tqdm and not isinstance(bar, LogLines)
    assert "\r" in terminal.getvalue()


def test_a_disabled_bar_writes_nothing():
    log = io.StringIO()
    with progress_bar(total=2, file=log, disable=True) as bar:
        bar.update(2)
    assert log.getvalue() == ""
