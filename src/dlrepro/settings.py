"""Settings of the studies and stages, checked against the config schema and completed from it.

The schema (``config.schema.yaml``, shipped in this package; the workflow validates its config
against the same file) is the one source of every default: a command run by hand with a partial
settings document fills the same values as the workflow.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

import jsonschema
import yaml

SCHEMA_FILE = "config.schema.yaml"


class SettingsError(ValueError):
    """A settings document that does not fit the schema; the message names the config key."""


@cache
def config_schema() -> dict[str, Any]:
    # libyaml's loader where PyYAML has it: the pure-Python one takes 0.17 CPU-s over the schema, 9x longer
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(files("dlrepro").joinpath(SCHEMA_FILE).read_text(), Loader=loader)


def section_schema(key: str) -> dict[str, Any]:
    """Schema of a config key in dotted form; ``*`` stands for any entry of a name -> entry map."""
    schema = config_schema()
    for part in key.split("."):
        if part == "*":
            schema = schema["additionalProperties"]
        elif part in schema.get("properties", {}):
            schema = schema["properties"][part]
        else:
            raise KeyError(f"the config schema has no key {key}")
    return schema


def _filling_defaults(validator_class):
    """A validator class that writes each missing property's ``default`` into the instance first,
    as Snakemake's ``validate`` does, so nested defaults of a filled-in object are filled too."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def properties(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, subschema in properties.items():
                if "default" in subschema:
                    instance.setdefault(name, subschema["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": properties})


FillingValidator = _filling_defaults(jsonschema.Draft202012Validator)


def resolve_section(key: str, document: Mapping[str, Any] | None) -> dict[str, Any]:
    """``document`` checked against the schema of config key ``key``, with its defaults filled in.

    Raises SettingsError naming the offending config key (``s6.n_train: ...``).
    """
    settings = copy.deepcopy(dict(document or {}))
    schema = section_schema(key)
    # the document as given is checked first: defaults filled in early would blur the message
    checker = jsonschema.Draft202012Validator(config_schema()).evolve(schema=schema)
    error = jsonschema.exceptions.best_match(checker.iter_errors(settings))
    if error is not None:
        where = ".".join([key.replace("*", "<name>"), *(str(part) for part in error.absolute_path)])
        raise SettingsError(f"config key {where}: {error.message}")
    FillingValidator(config_schema()).evolve(schema=schema).validate(settings)  # fills the defaults in
    return settings


def _followed(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or the part of the config schema its local ``$ref`` (``#/a/b``) points at."""
    while "$ref" in schema:
        target = config_schema()
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _types(schema: dict[str, Any]) -> list[str]:
    types = schema.get("type", [])
    return [types] if isinstance(types, str) else types


def _switched_off(value: Any, schema: dict[str, Any]) -> bool:
    """Null where the schema takes no null; also the text "null" where it takes no text, as
    ``--config s2=null`` reaches the workflow (Snakemake reads command-line values as text)."""
    if "null" in _types(schema) or None in schema.get("enum", []):
        return False
    return value is None or (value == "null" and "string" not in _types(schema) and "enum" not in schema)


def without_switched_off(document: Mapping[str, Any], schema: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``document`` without the keys set to null where the schema takes no null.

    Null switches a thing off: a study or FaceScrub section, an entry of a name -> settings map
    (dataset, extractor, classifier, model), or a subsection, which then takes its defaults
    (``s1.finetune: null`` trains nothing). A preset, or ``--config s2=null``, can so remove what
    the configs it is merged over define.
    """
    schema = _followed(dict(schema or config_schema()))
    kept = {}
    for key, value in document.items():
        entry = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
        if not isinstance(entry, dict):  # a key the schema does not know: validation names it
            kept[key] = value
            continue
        entry = _followed(entry)
        if _switched_off(value, entry):
            continue
        kept[key] = without_switched_off(value, entry) if isinstance(value, Mapping) else value
    return kept
