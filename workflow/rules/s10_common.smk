# S10's config -> file lists and command settings, for the rules in s10.smk.


def s10_sweep_files():
    cells = config.get("s10", {}).get("palindromes", {}).get("cells", [])
    return [f"results/s10/palindromes/{cell}/sweep.csv" for cell in cells]


def s10_figures():
    """The palindrome figures when any cell runs, then the row LSTM's curves."""
    figures = ["accuracy_vs_length.png", "gradient_vs_length.png"] if s10_sweep_files() else []
    return [f"results/figures/s10/{name}" for name in figures]


def s10_dataset_name(wildcards):
    return config["s10"]["dataset"]


def s10_dataset_files(wildcards):
    return dataset_files(s10_dataset_name(wildcards))


def s10_baseline_files():
    """S11's runs tables on the row LSTM's dataset, shown beside it (when S11 runs on it)."""
    dataset = config.get("s10", {}).get("dataset")
    if dataset not in config.get("s11", {}).get("datasets", []):
        return []
    return [f"results/s11/{dataset}/{family}/runs.csv" for family in ("mlp", "vgg")]


def s10_palindrome_settings(wildcards):
    return settings_document(config["s10"]["palindromes"])


def s10_row_settings(wildcards):
    return settings_document(config["s10"]["row_lstm"])


def s10_summary_options(wildcards, input):
    return " ".join([repeat_option("--sweep", input.sweeps), repeat_option("--baseline", input.baselines)])
