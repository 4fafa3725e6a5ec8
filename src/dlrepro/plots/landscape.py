"""S12 figures: teacher-student success vs student width, lottery-ticket accuracy vs sparsity,
complexity measures vs the generalization gap, and along S6's double-descent sweep."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from dlrepro.plots.save import save_png

ARM_STYLES = {"winning_ticket": ("winning ticket", "o", "-"), "random_reinit": ("random re-init", "s", "--"),
              "random_pruning": ("random pruning", "^", ":")}
# Frankle & Carbin 2019, Sec. 2 (LeNet-300-100 on MNIST): winning tickets learn faster down to 21.1 % of
# the weights and are as accurate as the original network down to 3.6 %
PAPER_MARKS = ((21.1, "F&C: fastest at 21.1 %"), (3.6, "F&C: original accuracy at 3.6 %"))


def plot_teacher_student(table: pd.DataFrame, out_png: str | Path, title: str) -> None:
    """Success rate, and test error against the teacher, vs the student's width (``success_table``'s rows)."""
    fig = Figure(figsize=(10, 4))
    success, test = fig.subplots(1, 2)
    success.plot(table["width"], table["success_rate"], marker="o")
    success.set_ylim(-0.05, 1.05)
    success.set_ylabel("fraction of seeds reaching zero training error")
    test.plot(table["width"], table["mean_test_error"], marker="o", label="test error")
    test.plot(table["width"], table["mean_train_error"], marker="s", label="train error")
    test.set_ylabel("error against the teacher's labels (mean over seeds)")
    test.legend(fontsize="small")
    for ax in (success, test):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("student hidden units")
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    save_png(fig, out_png)


def plot_lottery(table: pd.DataFrame, out_png: str | Path, title: str,
                 marks: tuple[tuple[float, str], ...] = PAPER_MARKS) -> None:
    """Test accuracy and early-stopping iteration vs percent of weights remaining, per arm
    (``lottery_table``'s rows), with the paper's landmarks ``marks`` (percent, text): by default
    Frankle & Carbin's LeNet-300-100 ones."""
    fig = Figure(figsize=(10, 4))
    accuracy, iteration = fig.subplots(1, 2)
    for arm, rows in table.groupby("arm"):
        label, marker, line = ARM_STYLES[arm]
        rows = rows.sort_values("remaining_percent", ascending=False)
        accuracy.errorbar(rows["remaining_percent"], rows["test_accuracy"], yerr=rows["test_accuracy_std"],
                          marker=marker, linestyle=line, label=label, capsize=2)
        iteration.plot(rows["remaining_percent"], rows["early_stop_iteration"], marker=marker, linestyle=line,
                       label=label)
    for ax in (accuracy, iteration):
        for percent, text in marks:
            ax.axvline(percent, color="grey", linewidth=0.8, linestyle="-.")
            ax.text(percent, 0.02, text, rotation=90, fontsize=6, color="grey", transform=ax.get_xaxis_transform())
        ax.set_xscale("log")
        ax.invert_xaxis()
        ax.set_xlabel("percent of weights remaining")
        ax.grid(alpha=0.3)
    accuracy.set_ylabel("test accuracy at early stopping")
    iteration.set_ylabel("early-stopping iteration")
    accuracy.legend(fontsize="small")
    fig.suptitle(title)
    fig.tight_layout()
    save_png(fig, out_png)


def plot_bounds(table: pd.DataFrame, measures: dict[str, str], out_png: str | Path, title: str) -> None:
    """One panel per complexity measure (log scale) against the generalization gap, a colour per
    study (family) and series."""
    columns = min(3, len(measures))
    rows = -(-len(measures) // columns)
    fig = Figure(figsize=(4.5 * columns, 3.8 * rows))
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes[len(measures):]:
        ax.set_visible(False)
    for ax, (column, name) in zip(axes, measures.items()):
        for (family, series), rows in table.groupby(["family", "series"]):
            ax.scatter(rows["gap"], rows[column], label=f"{family} {series}", s=18)
            for _, row in rows.iterrows():
                ax.annotate(str(row["label"]), (row["gap"], row[column]), fontsize=6)
        ax.set_yscale("log")
        ax.set_xlabel("generalization gap (test - train error)")
        ax.set_title(name, fontsize="small")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize="small")
    fig.suptitle(title)
    fig.tight_layout()
    save_png(fig, out_png)


def plot_bounds_sweep(table: pd.DataFrame, measures: dict[str, str], out_png: str | Path, title: str) -> None:
    """One panel per complexity measure (left axis, log) and the generalization gap (right axis) against
    the parameter count of S6's widths, with the interpolation threshold nK marked."""
    table = table.sort_values("parameters")
    columns = min(3, len(measures))
    rows = -(-len(measures) // columns)
    fig = Figure(figsize=(4.8 * columns, 3.8 * rows))
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes[len(measures):]:
        ax.set_visible(False)
    threshold = table["threshold"].iloc[0]
    for ax, (column, name) in zip(axes, measures.items()):
        # a log axis: a negative normalised margin (a misfit width) is left out
        ax.plot(table["parameters"], table[column].where(table[column] > 0), marker="o", color="C0")
        ax.set_yscale("log")
        ax.set_xscale("log")
        ax.set_xlabel("parameters")
        ax.set_ylabel(name, color="C0", fontsize="small")
        ax.axvline(threshold, color="grey", linestyle=":")
        ax.text(threshold, 0.98, " nK", color="grey", fontsize="small", va="top", transform=ax.get_xaxis_transform())
        gap = ax.twinx()
        gap.plot(table["parameters"], table["gap"], marker="s", color="C3", linestyle="--")
        gap.set_ylabel("gap (test - train error)", color="C3", fontsize="small")
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    save_png(fig, out_png)
