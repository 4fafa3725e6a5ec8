# S13's config -> file lists and command settings, for the rules in s13.smk.

import shlex

S13 = config.get("s13", {})
S13_DATA = "results/s13/data"  # the caption dataset: images.npy, captions.parquet, dataset.json


def s13_flickr8k():
    return S13.get("data", {}).get("flickr8k")


def s13_data_inputs(wildcards):
    """Flickr8K's text files and images (so an added or edited file reruns the dataset); none for the stand-in."""
    folder = s13_flickr8k()
    if folder is None:
        return []
    if not os.path.isdir(folder):
        raise ValueError(
            f"s13.data.flickr8k: folder {folder} does not exist; point it at your Flickr8K folder "
            "(Flicker8k_Dataset/ and the Flickr8k_text files)"
        )
    files = []
    for sub in (".", "Flickr8k_text"):
        text_dir = os.path.join(folder, sub)
        if os.path.isdir(text_dir):
            files += [os.path.join(text_dir, name) for name in sorted(os.listdir(text_dir)) if name.endswith(".txt")]
    images = os.path.join(folder, "Flicker8k_Dataset")
    if os.path.isdir(images):
        files += [os.path.join(images, name) for name in sorted(os.listdir(images)) if not name.startswith(".")]
    return files


def s13_manifest(wildcards):
    """s13.data.manifest, else SHA256SUMS in the Flickr8K folder when it has one, else
    results/s13/flickr8k.sha256, which the first run writes; the stand-in needs none."""
    folder = s13_flickr8k()
    if folder is None:
        return ""
    manifest = S13["data"]["manifest"]
    if not manifest:
        shipped = os.path.join(folder, "SHA256SUMS")
        manifest = shipped if os.path.isfile(shipped) else "results/s13/flickr8k.sha256"
    return f"--manifest {shlex.quote(manifest)}"


def s13_data_settings(wildcards):
    return settings_document(S13["data"])


def s13_captioner_settings(wildcards):
    return settings_document(S13["captioner"])


def s13_run_files():
    return ["results/s13/captioner/run.json"] if "s13" in config else []


def s13_attention_figure():
    """The attention figure, drawn when the decoder attends (without attention every place weighs the same)."""
    return ["results/figures/s13/attention.png"] if S13.get("captioner", {}).get("model", {}).get("attention") else []
