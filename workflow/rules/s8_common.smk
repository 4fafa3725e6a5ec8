# S8's config -> file lists and command settings, for the rules in s8.smk.


S8_FIGURES = "results/figures/s8"


def s8_run_files():
    """The classifier's and every model's run.json on every dataset."""
    s8 = config.get("s8", {})
    return [
        f"results/s8/runs/{dataset}/{model}/run.json"
        for dataset in s8.get("datasets", [])
        for model in ["classifier", *s8.get("models", [])]
    ]


def s8_figures():
    """Samples over training and interpolations per dataset."""
    s8 = config.get("s8", {})
    return [
        f"{S8_FIGURES}/{kind}_{dataset}.png"
        for dataset in s8.get("datasets", [])
        for kind in ("grids", "interpolations")
    ]


def s8_figures_dir(wildcards):
    return S8_FIGURES


def s8_dataset_files(wildcards):
    return dataset_files(wildcards.dataset)


def s8_classifier_settings(wildcards):
    """Only what the classifier reads, so editing a model's settings does not retrain it."""
    s8 = config["s8"]
    return settings_document({key: s8[key] for key in ("size", "classifier") if key in s8})


def s8_train_settings(wildcards):
    """What this model reads: its family's network and training settings (not the other models'),
    so that editing one family retrains only its models."""
    s8, model = config["s8"], wildcards.model
    family = "vae" if model == "vae" else "wgan_gp" if model == "wgan-gp" else "gan"
    keys = ["size", "grid"] + (["vae"] if model == "vae" else ["gan"] + (["wgan_gp"] if model == "wgan-gp" else []))
    document = {key: s8[key] for key in keys if key in s8}
    if family in s8.get("train", {}):
        document["train"] = {family: s8["train"][family]}
    return settings_document(document)


def s8_inception_weights(wildcards):
    """The user's Inception-v3 weights file, when given: an input, so a wrong path fails before any job."""
    weights = config["s8"].get("inception_weights")
    return [weights] if weights else []


def s8_summary_settings(wildcards):
    return settings_document(config["s8"])
