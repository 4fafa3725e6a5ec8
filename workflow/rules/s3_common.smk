# S3's config -> file lists and command settings, for the rules in s3.smk.

S3_CONV4 = "results/s3/features/conv4.parquet"
S3_EXPLAINED = {"predictions": "results/figures/s3/predictions.png", "saliency": "results/figures/s3/saliency.png"}


def s3_mlp_files():
    return [f"results/s3/mlp/{name}/fit.json" for name in config.get("s3", {}).get("mlps", {})]


def s3_finetune_modes():
    return config.get("s3", {}).get("finetune", {}).get("modes", [])


def s3_transfer_files():
    return ["results/s3/conv4/fit.json"] + [f"results/s3/finetune/{mode}/fit.json" for mode in s3_finetune_modes()]


def s3_explained_model(wildcards):
    """The fine-tuned AlexNet the predictions and saliency figures show: the last mode listed."""
    return f"results/s3/finetune/{s3_finetune_modes()[-1]}/model.pt"


def s3_pixel_files(wildcards):
    return dataset_files(config["s3"]["pixel_dataset"])


def s3_image_files(wildcards):
    return dataset_files(config["s3"]["image_dataset"])


def s3_source(wildcards):
    """Where S3's faces come from, for the captions: a datasets entry's source, facescrub, or the name."""
    name = config["s3"]["pixel_dataset"]
    if name in config["datasets"]:
        return config["datasets"][name]["source"]
    return "facescrub" if name in config.get("facescrub", {}).get("datasets", {}) else name


def s3_mlp_settings(wildcards):
    """Only this MLP's entry and the optimisation, so editing another MLP does not rerun it."""
    s3 = config["s3"]
    return settings_document({"train": s3["train"], "mlps": {wildcards.model: s3["mlps"][wildcards.model]}})


def s3_conv4_extractor(wildcards):
    return settings_document({"kind": "torchvision", "arch": "alexnet", "layer": "conv4", **config["s3"]["alexnet"]})


def s3_conv4_settings(wildcards):
    return settings_document({"train": config["s3"]["train"], "conv4": config["s3"]["conv4"]})


def s3_finetune_settings(wildcards):
    """AlexNet and the fine-tuning settings, without the list of modes (adding one reruns nothing)."""
    tuning = {key: value for key, value in config["s3"]["finetune"].items() if key != "modes"}
    return settings_document({"alexnet": config["s3"]["alexnet"], "finetune": tuning})


def s3_summary_settings(wildcards):
    """The hidden-unit pair and the AlexNet weights the captions name: the fits carry the rest."""
    s3 = config["s3"]
    return settings_document({"hidden_units": s3["hidden_units"], "alexnet": {"weights": s3["alexnet"]["weights"]}})


def s3_explain_settings(wildcards):
    return settings_document({"alexnet": config["s3"]["alexnet"]})


def s3_summary_inputs():
    inputs = {"mlps": s3_mlp_files(), "transfer": s3_transfer_files()}
    return inputs | (S3_EXPLAINED if s3_finetune_modes() else {})


def s3_summary_options(wildcards, input):
    options = [repeat_option("--mlp", input.mlps), repeat_option("--transfer", input.transfer)]
    options += [f"--{name} {input[name]}" for name in S3_EXPLAINED if name in input.keys()]
    return " ".join(options)


def check_s3():
    """S3's cross references, before any job: the hidden-unit pair names MLPs, the weights file exists."""
    if "s3" not in config:
        return
    unknown = [name for name in config["s3"]["hidden_units"] if name not in config["s3"]["mlps"]]
    if unknown:
        raise config_error("s3.hidden_units", f"{unknown} not among s3.mlps ({sorted(config['s3']['mlps'])})")
    check_weights("s3.alexnet.weights", config["s3"]["alexnet"]["weights"])
