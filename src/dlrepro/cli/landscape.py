"""``dlrepro landscape``: S12, teacher-student over-parameterisation, lottery tickets, measured bounds."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option

NEW_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group()
def landscape():
    """S12: teacher-student students of growing width, lottery tickets, norm-based bounds of S5's and S6's networks."""


@landscape.command("teacher-student")
@settings_option("s12.teacher_student", "Teacher, student widths, seeds, data sizes and training")
@click.option("--seed", type=int, default=0, help="Seed of the teacher, its data and the students' initialisations.")
@click.option("--runs", type=NEW_FILE, required=True, help="Runs table (Parquet): one row per student width and seed.")
@click.option("--curves", type=NEW_FILE, required=True, help="Per-epoch metrics of every student (Parquet).")
def teacher_student_command(settings, seed, runs, curves):
    """Train students of each width from many initialisations on a random teacher's labels."""
    from dlrepro.train.engine import write_metrics
    from dlrepro.train.teacher_student import teacher_student_study

    with one_line_errors(message="{}; fix s12.teacher_student"):
        table, per_epoch = teacher_student_study(settings, seed)
    write_metrics(per_epoch, curves)
    write_metrics(table, runs)
    click.echo(f"{runs}: {len(table)} students, {table['success'].mean():.0%} reached zero training error")


@landscape.command("lottery")
@click.option("--dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Dataset folder (images.npy + index.parquet) with train and test splits.")
@settings_option("s12.lottery", "Network, pruning rounds and rates, rewinding, controls, trials and training")
@click.option("--seed", type=int, default=0, help="Seed of the validation split, subset, initialisations and masks.")
@click.option("--runs", type=NEW_FILE, required=True, help="Runs table (Parquet): one row per trained network.")
def lottery_command(dataset_dir, settings, seed, runs):
    """Iterative magnitude pruning with rewinding, and its random re-init and random pruning controls."""
    from dlrepro.train.engine import write_metrics
    from dlrepro.train.lottery import lottery_study

    with one_line_errors(message="{}; fix s12.lottery"):
        networks = lottery_study(dataset_dir, settings, seed)
    table = write_metrics(networks, runs)
    last = table[table["round"] == table["round"].max()]
    click.echo(f"{runs}: {len(table)} networks; last round " + ", ".join(
        f"{arm} {acc:.3f}" for arm, acc in zip(last["arm"], last["test_accuracy"])))


@landscape.command("bounds")
@click.option("--sweep", "sweeps", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="fit.json of an S5 width-sweep MLP run (repeat); init.pt and weights.pt lie beside it.")
@click.option("--fit", "fits", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="fit.json of an S5 label-corruption MLP run, plain regularisation (repeat).")
@click.option("--dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The dataset S5 trained on (with --sweep or --fit).")
@click.option("--max-train", type=int, default=None, help="S5's max_train (its training subset).")
@click.option("--s6-weights", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Weights of S6's width sweep (`double-descent run --weights`).")
@click.option("--s6-table", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="S6's sweep table (`double-descent run --table`), with --s6-weights.")
@click.option("--s6-dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The dataset S6 trained on, with --s6-weights.")
@settings_option("s12.bounds", "Margin quantile")
@click.option("--seed", type=int, default=0, help="S5's seed (its variants and subset).")
@click.option("--out", type=NEW_FILE, required=True, help="Measures table (Parquet): one row per network.")
def bounds_command(sweeps, fits, dataset_dir, max_train, s6_weights, s6_table, s6_dataset_dir, settings, seed, out):
    """Norm-based complexity measures and the generalization gap of S5's and S6's MLPs."""
    from dlrepro.train.bounds import measure_runs
    from dlrepro.train.engine import write_metrics

    s6 = (s6_weights, s6_table, s6_dataset_dir)
    if any(s6) and not all(s6):
        raise click.UsageError("--s6-weights, --s6-table and --s6-dataset-dir go together")
    if not (sweeps or fits or all(s6)):
        raise click.UsageError("give at least one --sweep or --fit, or S6's --s6-weights")
    if (sweeps or fits) and dataset_dir is None:
        raise click.UsageError("--sweep and --fit need --dataset-dir, the dataset S5 trained on")
    with one_line_errors(KeyError, ValueError,
                         message="cannot measure: {}; are all inputs S5 MLP runs and S6 sweep outputs?"):
        table = measure_runs(list(sweeps), list(fits), dataset_dir, max_train, seed, settings["margin_quantile"],
                             s6 if all(s6) else None)
    write_metrics(table, out)
    click.echo(f"{out}: {len(table)} networks measured")


@landscape.command("summarise")
@click.option("--teacher-student", "teacher_runs", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Runs table of `landscape teacher-student`.")
@click.option("--lottery", "lottery_runs", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Runs table of `landscape lottery`.")
@click.option("--bounds", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Measures table of `landscape bounds`.")
@settings_option("s12", "The study's settings (for the captions)")
@click.option("--figures", type=click.Path(file_okay=False, path_type=Path), default=Path("results/figures/s12"),
              help="Folder for the PNG figures.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results/s12"),
              help="Folder for the tables and section.json.")
def summarise_command(teacher_runs, lottery_runs, bounds, settings, figures, out_dir):
    """Success-rate and sparsity tables, the figures and the report section of the parts given."""
    from dlrepro.report.landscape import summarise_study

    if not (teacher_runs or lottery_runs or bounds):
        raise click.UsageError("give at least one of --teacher-student, --lottery, --bounds")
    section = summarise_study(teacher_runs, lottery_runs, bounds, settings, figures, out_dir)
    click.echo(f"{out_dir / 'section.json'}: {section['intro']}")
