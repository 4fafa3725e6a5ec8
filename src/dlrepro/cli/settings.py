"""``--settings``: a command's study or stage settings as one document, checked against the config schema."""

from __future__ import annotations

import json
from pathlib import Path

import click
import yaml

from dlrepro.settings import SettingsError, resolve_section


def read_document(text: str) -> dict:
    """A JSON object given inline, or the JSON/YAML file it names."""
    try:
        if text.lstrip().startswith("{"):
            document = json.loads(text)
        elif Path(text).is_file():
            document = yaml.safe_load(Path(text).read_text())
        else:
            raise click.ClickException(f"--settings {text}: neither a JSON object nor an existing file")
    except (json.JSONDecodeError, yaml.YAMLError) as err:
        raise click.ClickException(f"--settings is neither JSON nor YAML ({err})") from err
    if not isinstance(document, dict):
        raise click.ClickException(f"--settings must be a mapping of config keys to values, got {text}")
    return document


def settings_option(key: str, what: str):
    """The ``--settings`` option of a command whose settings are config key ``key``; the command
    receives them checked, with the schema's defaults filled in."""

    def resolve(ctx, param, value):
        try:
            return resolve_section(key, read_document(value))
        except SettingsError as err:
            raise click.ClickException(f"{err}; fix it in the config (or in --settings)") from err

    return click.option(
        "--settings", default="{}", callback=resolve,
        help=f"{what} (config key {key}) as a JSON object or a JSON/YAML file; keys left out take the "
             "defaults of the config schema, as in the workflow.",
    )


def settings_entry(entries: dict, key: str, name: str) -> dict:
    """Entry ``name`` of the name -> settings map at config key ``key`` (a command runs one of them)."""
    if name not in entries:
        raise click.ClickException(f"{key} has no entry {name!r}; it has {sorted(entries)}")
    return entries[name]
