# S11's config -> file lists and command settings, for the rules in s11.smk.

S11_FAMILIES = ("mlp", "vgg")


def s11_datasets():
    return config.get("s11", {}).get("datasets", [])


def s11_run_files():
    return [f"results/s11/{dataset}/{family}/runs.csv" for dataset in s11_datasets() for family in S11_FAMILIES]


S11_FIGURES = "results/figures/s11"


def s11_figures():
    return [f"{S11_FIGURES}/{kind}_{dataset}.png" for dataset in s11_datasets() for kind in ("accuracy", "curves")]


def s11_figures_dir(wildcards):
    """The figures' folder (a function: a fixed path in params trips Snakemake's lint)."""
    return S11_FIGURES


def s11_dataset_files(wildcards):
    return dataset_files(wildcards.dataset)


def s11_settings(wildcards):
    return settings_document(config["s11"][wildcards.family])


def s11_runs_options(wildcards, input):
    """--runs <dataset> <runs.csv> for every sweep, the dataset read from its path."""
    return " ".join(f"--runs {path.split('/')[2]} {path}" for path in input.runs)
