# Config validation and the small functions that turn the config into file lists.

import os

from snakemake.utils import min_version, validate

from dlrepro.data.sources import SOURCES

min_version("9.0")


validate(config, schema="../schemas/config.schema.yaml")


wildcard_constraints:
    dataset=r"[A-Za-z0-9_.-]+",
    source=r"[A-Za-z0-9_-]+",
    filename=r"[^/]+",


# Conda environments for `--sdm conda`, one per rule family, named by what the family imports.
# Rules pick one with `conda: ENVS["torch"]`. Each env pins the third-party packages exactly
# as pyproject.toml does; its post-deploy script installs dlrepro itself from the checkout
# named by DLREPRO_SRC (a value this workflow provides, not one it asks the user for).
ENVS = {
    family: f"../../envs/{family}.yaml" for family in ("data", "sklearn", "torch", "report")
}
os.environ.update(DLREPRO_SRC=workflow.basedir)


def rule_resources(rule):
    """Cluster requests of a rule, given by name: its config["resources"] entry over the default.

    Rules opt in with one line, ``resources: **rule_resources("<its name>")``; GPU rules add
    ``gpu=1`` to it. Both requests grow with each retry, so a job killed for running out of
    memory or time gets more on its next attempt.
    """
    requested = config["resources"]["default"] | config["resources"].get(rule, {})
    return {name: scaled_by_attempt(value) for name, value in requested.items()}


def scaled_by_attempt(value):
    def request(wildcards, attempt):
        return value * attempt

    return request


def check_resource_rules():
    """Stop on config["resources"] entries that name no rule: a typo would be ignored silently."""
    unknown = sorted(set(config["resources"]) - {"default"} - {r.name for r in workflow.rules})
    if unknown:
        raise ValueError(
            f"config resources: no rule named {', '.join(unknown)}; "
            "use names from `snakemake --list-rules`"
        )


def dataset_source(dataset):
    return config["datasets"][dataset]["source"]


def raw_files(wildcards):
    """Raw files the dataset's source needs (none for built-in sources)."""
    source = dataset_source(wildcards.dataset)
    if source not in SOURCES:
        return []
    return [f"results/raw/{source}/{raw.name}" for raw in SOURCES[source].files]


def raw_dir(wildcards):
    return f"results/raw/{dataset_source(wildcards.dataset)}"


def dataset_dir(wildcards):
    return f"results/datasets/{wildcards.dataset}"


def source_name(wildcards):
    return dataset_source(wildcards.dataset)


def dataset_option(flag, key):
    """Params function: ``flag value`` from the dataset's config entry, or nothing."""

    def from_config(wildcards):
        return option(flag, config["datasets"][wildcards.dataset].get(key))

    return from_config


def option(flag, value):
    """A command-line option, or nothing when the config leaves it unset."""
    return "" if value is None else f"{flag} {value}"


def dataset_files(dataset):
    return {
        "images": f"results/datasets/{dataset}/images.npy",
        "index": f"results/datasets/{dataset}/index.parquet",
    }


# Study keys in report order; a study runs when its key is in the config.
STUDIES = []


def report_sections():
    """Section files of the enabled studies, in report order."""
    return [f"results/{study}/section.json" for study in STUDIES if study in config]
