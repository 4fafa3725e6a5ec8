"""The config schema is the one source of settings and defaults, for the workflow and the commands."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import click
import pytest

from dlrepro.cli import main
from dlrepro.settings import SettingsError, config_schema, resolve_section, section_schema, without_switched_off

REPO = Path(__file__).resolve().parents[1]

# commands that once took a flag per setting: the flags they had
ONCE_FLAGS = {
    ("data", "prepare"): {"source", "max_train", "max_test", "size", "channels"},
    ("data", "folder"): {"images", "manifest", "size", "channels", "fit", "val_fraction", "test_fraction",
                         "max_train", "max_test"},
    ("embed",): {"max_points"},
    ("raphael", "evaluate"): {"patch_size", "scale"},
    ("faces", "summarise"): {"hidden_units", "weights"},
    ("artists", "summarise"): {"dataset_name"},
    ("generalization", "summarise"): {"dataset_name"},
    ("double-descent", "summarise"): {"dataset"},
    ("attention", "summarise"): {"dataset_name"},
}


def test_the_package_ships_the_workflow_schema():
    shipped = files("dlrepro").joinpath("config.schema.yaml").read_text()
    assert shipped == (REPO / "workflow" / "schemas" / "config.schema.yaml").read_text()


def open_objects(schema: dict, path: str = "", enclosed: bool = False) -> list[str]:
    """Object schemas that accept keys they do not name (an `if` only tests, so it is skipped).

    ``enclosed``: the schema is a branch (allOf) of an object closed by unevaluatedProperties.
    """
    found = []
    closed = enclosed or any(key in schema for key in ("additionalProperties", "patternProperties",
                                                        "unevaluatedProperties"))
    branches = [part.get("then", {}) for part in schema.get("allOf", [])]
    if "properties" in schema and not closed and not (branches and all("additionalProperties" in b for b in branches)):
        found.append(path or "(top level)")
    seals = schema.get("unevaluatedProperties") is False
    for key, value in schema.items():
        if isinstance(value, dict) and key != "if":
            found += open_objects(value, f"{path}/{key}", enclosed=enclosed and key in ("then", "else"))
        elif isinstance(value, list):
            found += [p for i, item in enumerate(value) if isinstance(item, dict)
                      for p in open_objects(item, f"{path}/{key}[{i}]", enclosed=seals and key == "allOf")]
    return found


def test_every_schema_object_is_closed():
    assert open_objects(config_schema()) == []


def test_a_misspelt_key_fails_naming_it():
    with pytest.raises(SettingsError, match=r"^config key s6: .*'n_trian' was unexpected"):
        resolve_section("s6", {"n_trian": 300})
    with pytest.raises(SettingsError, match=r"^config key s5\.train\.lr: -1 is less than or equal to the minimum"):
        resolve_section("s5", {"train": {"lr": -1}})


def test_a_partial_document_takes_the_schema_defaults():
    settings = resolve_section("s6", {"epochs": 3})
    defaults = {name: entry["default"] for name, entry in section_schema("s6")["properties"].items()}
    assert settings == defaults | {"epochs": 3}
    s5 = resolve_section("s5", {"train": {"lr": 0.2}})
    assert s5["train"]["lr"] == 0.2 and s5["train"]["momentum"] == section_schema("s5.train.momentum")["default"]
    assert s5["regularisation"]["plain"]["weight_decay"] == 0.0  # defaults inside a filled-in default


def command(path: tuple[str, ...]) -> click.Command:
    ctx = click.Context(main)
    found = main.get_command(ctx, path[0])
    return found.get_command(ctx, path[1]) if len(path) > 1 else found


@pytest.mark.parametrize("path", ONCE_FLAGS, ids=" ".join)
def test_settings_come_as_one_document_not_a_flag_per_key(path):
    options = {param.name for param in command(path).params}
    assert "settings" in options and options & ONCE_FLAGS[path] == set()


def test_null_switches_off_sections_and_entries_but_not_settings_that_take_null():
    config = {
        "mirror": None,
        "s2": None,
        "s5": "null",  # --config s5=null reaches the workflow as text
        "s1": {"extractors": {"pixels": {"kind": "pixels"}, "resnet18": None}, "finetune": None,
               "classifiers": {"knn": {"kind": "knn", "n_neighbors": None}}},
        "s6": {"dataset": "null", "n_train": None},
    }
    assert without_switched_off(config) == {
        "mirror": None,
        # a setting that takes no null is left unset: it takes its default
        "s1": {"extractors": {"pixels": {"kind": "pixels"}}, "classifiers": {"knn": {"kind": "knn"}}},
        "s6": {"dataset": "null"},
    }
