# S14's config -> file lists and command settings, for the rules in s14.smk.

S14 = config.get("s14", {})
if S14:  # a weights file that is not there fails before any job
    check_weights("s14.images.weights", S14["images"]["weights"])
# the generated stand-ins: the dies-standin dataset reads the archive; a null timeseries.csv reads the panel
S14_STANDIN_FILES = {
    "dies": "results/s14/standin/dies.tar",
    "dies_manifest": "results/s14/standin/SHA256SUMS",
    "panel": "results/s14/standin/panel.csv",
}


def s14_dataset_files(wildcards):
    return dataset_files(S14["images"]["dataset"])


def s14_series_csv(wildcards):
    """timeseries.csv, else the stand-in panel."""
    return S14["timeseries"]["csv"] or S14_STANDIN_FILES["panel"]


def s14_series_manifest(wildcards):
    """timeseries.manifest, else one per CSV file name under results/s14/manifests/ (written on first use)."""
    csv = os.path.basename(s14_series_csv(wildcards))
    return S14["timeseries"]["manifest"] or f"results/s14/manifests/{csv}.sha256"


def s14_standin_settings(wildcards):
    return settings_document(S14["standin"])


def s14_images_settings(wildcards):
    return settings_document(S14["images"])


def s14_timeseries_settings(wildcards):
    return settings_document(S14["timeseries"])


def s14_summary_settings(wildcards):
    return settings_document({key: S14[key] for key in ("images", "timeseries")})
