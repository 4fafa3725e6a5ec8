# S1's config -> file lists and command settings, for the rules in s1.smk.

S1 = config.get("s1", {})


def s1_combinations(pattern, **fixed):
    """``pattern`` expanded over the S1 datasets and extractors (and the given fixed names)."""
    return expand(pattern, dataset=S1.get("datasets", []), extractor=S1.get("extractors", {}), **fixed)


def s1_metrics():
    return s1_combinations(
        "results/s1/{dataset}/{extractor}/{classifier}/metrics.json", classifier=S1.get("classifiers", {})
    )


def s1_confusion_figures():
    return s1_combinations(
        "results/figures/s1/{dataset}/{extractor}/confusion_{classifier}.png", classifier=S1.get("classifiers", {})
    )


def s1_embeddings():
    methods = S1.get("embeddings", {}).get("methods", [])
    return s1_combinations("results/s1/{dataset}/{extractor}/embedding_{method}.parquet", method=methods)


def s1_finetune_metrics():
    modes = S1.get("finetune", {}).get("modes", [])
    return expand("results/s1/{dataset}/finetune/{mode}/metrics.json", dataset=S1.get("datasets", []), mode=modes)


def finetune_settings(wildcards):
    """s1.finetune without its modes: adding a mode does not retrain the others."""
    return settings_document({key: value for key, value in S1["finetune"].items() if key != "modes"})


def s1_finetune_options(wildcards):
    return repeat_option("--finetune", s1_finetune_metrics())


def s1_embedding_options(wildcards):
    return repeat_option("--embedding", s1_embeddings())


def s1_embedding_settings(wildcards):
    """The subset size alone: adding a method does not rerun the others' embeddings."""
    return settings_document({"max_points": S1["embeddings"]["max_points"]})
