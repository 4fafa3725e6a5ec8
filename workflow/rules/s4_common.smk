# S4's config -> file lists and command settings, for the rules in s4.smk.

S4 = config.get("s4", {})
# the generated stand-in paintings, which the embedded default's dataset art-standin reads
S4_STANDIN_FILES = {"archive": "results/s4/standin/art_data.tar", "manifest": "results/s4/standin/SHA256SUMS"}
S4_GROUPS = ("experiments", "architectures")


def s4_runs():
    """Names of every S4 run: the experiments, then the architectures (one name space)."""
    names = [name for group in S4_GROUPS for name in S4.get(group, {})]
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        raise config_error("s4.architectures", f"{', '.join(doubled)} also named in s4.experiments; rename one")
    unknown = [name for name in S4.get("robustness", {}).get("runs", []) if name not in S4.get("experiments", {})]
    if unknown:
        raise config_error("s4.robustness.runs", f"no experiment {', '.join(unknown)}; name entries of s4.experiments")
    return names


def s4_run_files():
    return [f"results/s4/runs/{name}/run.json" for name in s4_runs()]


def s4_curve_figures():
    return [f"results/figures/s4/curves_{name}.png" for name in s4_runs()]


def s4_sweep_table():
    """The sweep table, when the config sweeps any architecture."""
    return ["results/s4/sweep.csv"] if S4.get("architectures") else []


def s4_dataset_files(wildcards):
    return dataset_files(S4["dataset"])


def s4_group(name):
    return next(group for group in S4_GROUPS if name in S4.get(group, {}))


def s4_train_settings(wildcards):
    """The base settings and only this run's entry, so editing another entry does not rerun it; the
    image-change strengths only for an augmented run."""
    group = s4_group(wildcards.experiment)
    entry = S4[group][wildcards.experiment]
    document = {"network": S4["network"], "train": S4["train"], group: {wildcards.experiment: entry}}
    if group == "experiments" and entry.get("augment"):
        document["robustness"] = {"strengths": S4["robustness"]["strengths"]}
    return settings_document(document)


def s4_summary_settings(wildcards):
    return settings_document({key: S4[key] for key in ("dataset", "network", "train", "robustness")})


def s4_standin_settings(wildcards):
    return settings_document(S4.get("standin", {}))
