"""``dlrepro report``: assemble study sections into the HTML report."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.report.html import render_report


@click.command()
@click.argument("sections", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--root", type=click.Path(file_okay=False), default=".", help="Folder the section paths are relative to.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="HTML file to write.")
def report(sections, root, out):
    """Render SECTIONS (study section JSON files) into one self-contained HTML page."""
    render_report(list(sections), out, root)
    click.echo(f"{out}: {len(sections)} sections")
