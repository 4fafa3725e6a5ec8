# S2's config -> file lists and command settings, for the rules in s2.smk.

S2 = config.get("s2", {})
S2_DATASET = "raphael"  # the patch dataset of the drawings: results/datasets/raphael/
S2_DRAWINGS_TABLE = "results/s2/drawings.csv"  # the verified drawings, as `dlrepro raphael verify` writes them
S2_GENERATED = {"drawings": "results/s2/generated/drawings", "labels": "results/s2/generated/labels.csv"}


def s2_generated():
    return S2.get("drawings") is None


def s2_drawings_dir(wildcards=None):
    return S2_GENERATED["drawings"] if s2_generated() else S2["drawings"]


def s2_labels():
    if s2_generated():
        return S2_GENERATED["labels"]
    if S2["labels"] is None:
        raise ValueError("s2.labels: give the labels table (number, label) of the drawings in s2.drawings")
    return S2["labels"]


def s2_drawing_inputs(wildcards):
    """The drawings (each numbered file, so an edited drawing reruns the check) and the labels table.

    Generated drawings are one directory output of the workflow.
    """
    folder = s2_drawings_dir()
    if s2_generated():
        return {"drawings": folder, "labels": s2_labels()}
    if not os.path.isdir(folder):
        raise ValueError(f"s2.drawings: folder {folder} does not exist; point it at your drawings")
    numbered, _ = drawing_files(folder)
    return {"drawings": [str(path) for _, path in sorted(numbered.items())], "labels": s2_labels()}


def s2_manifest(wildcards):
    """s2.manifest, else SHA256SUMS in the drawings folder when it has one (generated: always), else
    results/s2/drawings.sha256, which the first run writes."""
    if S2.get("manifest"):
        return S2["manifest"]
    shipped = os.path.join(s2_drawings_dir(), "SHA256SUMS")
    return shipped if s2_generated() or os.path.exists(shipped) else "results/s2/drawings.sha256"


def s2_generate_settings(wildcards):
    return settings_document(S2["generate"])


def s2_metrics():
    return expand(
        "results/s2/{extractor}/{classifier}/metrics.json",
        extractor=S2.get("extractors", {}),
        classifier=S2.get("classifiers", {}),
    )


def s2_evaluate_settings(wildcards):
    """Only this classifier's entry and the patch size and scale the votes are placed with, so editing
    another classifier does not rerun it."""
    classifier = S2["classifiers"][wildcards.classifier]
    cut = {key: S2["patches"][key] for key in ("size", "scale")}
    return settings_document({"classifiers": {wildcards.classifier: classifier}, "patches": cut})


def s2_patch_settings(wildcards):
    return settings_document(S2["patches"])
