# S6's config -> file lists and command settings, for the rules in s6.smk.


def s6_dataset_name(wildcards):
    return config["s6"]["dataset"]


def s6_dataset_files(wildcards):
    return dataset_files(s6_dataset_name(wildcards))


def s6_summary_settings(wildcards):
    """The dataset's name, for the titles and captions: the table carries the rest."""
    return settings_document({"dataset": config["s6"]["dataset"]})


def s6_settings(wildcards):
    """The s6 section, for `dlrepro double-descent run --settings`."""
    return settings_document(config["s6"])
