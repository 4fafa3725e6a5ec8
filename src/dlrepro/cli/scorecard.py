"""``dlrepro scorecard``: published results next to this run's, as a table and a report section."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.io import write_csv, write_json
from dlrepro.report.scorecard import load_references, run_scorecard, scorecard_section

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
NEW_FILE = click.Path(dir_okay=False, path_type=Path)
RUN_EXAMPLE = '{"sources": {"mnist": "mnist"}, "extractors": {"pixels": {"kind": "pixels"}}, "s6_dataset": "mnist"}'


@click.command()
@click.option("--s1-metrics", multiple=True, type=EXISTING_FILE, help="S1 classifier metrics JSON (repeat).")
@click.option("--s3-fit", multiple=True, type=EXISTING_FILE, help="S3 MLP run summary fit.json (repeat).")
@click.option("--s5-fit", multiple=True, type=EXISTING_FILE, help="S5 run summary fit.json (repeat).")
@click.option("--s6-table", type=EXISTING_FILE, default=None, help="S6 sweep table CSV.")
@click.option("--s7-run", multiple=True, type=EXISTING_FILE, help="S7 run summary run.json (repeat).")
@click.option("--s9-runs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="S9 Sketch-a-Net output folder (run.json, runs.csv) (repeat).")
@click.option("--s10-run", multiple=True, type=EXISTING_FILE, help="S10 row-LSTM run summary run.json (repeat).")
@click.option("--s11-runs", multiple=True, type=EXISTING_FILE, help="S11 runs table runs.csv (repeat).")
@click.option("--s12-lottery", type=EXISTING_FILE, default=None, help="S12 lottery runs table (runs.parquet).")
@click.option("--s13-run", multiple=True, type=EXISTING_FILE, help="S13 captioner run summary run.json (repeat).")
@click.option("--run", "run_text", required=True,
              help=f"What the outputs do not name, as JSON: dataset sources, S1 extractor settings, the S5, S6, "
                   f"S7 and S12 dataset names; e.g. '{RUN_EXAMPLE}'.")
@click.option("--references", type=EXISTING_FILE, default=None,
              help="Published-results CSV (study, dataset, setting, metric, value, tolerance, source); default: the packaged one.")
@click.option("--table", type=NEW_FILE, required=True, help="Scorecard CSV to write.")
@click.option("--section", type=NEW_FILE, required=True, help="Report section JSON to write.")
def scorecard(s1_metrics, s3_fit, s5_fit, s6_table, s7_run, s9_runs, s10_run, s11_runs, s12_lottery, s13_run,
              run_text, references, table, section):
    """Put this run's numbers next to each published result whose setting it matches, with a verdict."""
    with one_line_errors(json.JSONDecodeError, message=f"--run is not JSON ({{}}); give e.g. '{RUN_EXAMPLE}'"):
        run = json.loads(run_text)
    with one_line_errors(ValueError, KeyError, message="scorecard: {}"):
        frame = run_scorecard(list(s1_metrics), list(s5_fit), s6_table, run, load_references(references),
                              s3_fits=list(s3_fit), s7_runs=list(s7_run), s10_runs=list(s10_run),
                              s11_runs=list(s11_runs), s12_lottery=s12_lottery, s9_runs=list(s9_runs),
                              s13_runs=list(s13_run))
    write_csv(frame, table)
    write_json(scorecard_section(frame, str(table)), section)
    click.echo(f"{table}: {len(frame)} rows, {int((frame['verdict'] == 'reproduced').sum())} reproduced")
