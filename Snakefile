# Reproducible deep-learning course studies: raw data -> features -> models -> figures -> report.
# Run `snakemake --cores 8 --resources gpu=1`; see README.md.


configfile: "config.yaml"


include: "workflow/rules/common.smk"


# The studies, in report order. Study <key> lives in workflow/rules/<key>.smk (its rules, named
# <key>_*, and their helpers); it runs when the config has a <key> section. One line registers one.
STUDIES = [
    "s1",
    "s2",
    "s3",
    "s4",
    "s5",
    "s6",
    "s7",
    "s8",
    "s9",
    "s10",
    "s11",
    "s12",
    "s13",
    "s14",
]

for study in STUDIES:

    include: f"workflow/rules/{study}.smk"


# Stages shared by the studies, read after them: patches cuts S2's drawings among its datasets.
include: "workflow/rules/data.smk"
include: "workflow/rules/facescrub.smk"
include: "workflow/rules/patches.smk"
include: "workflow/rules/features.smk"
include: "workflow/rules/report.smk"


# The report of the enabled studies pulls in every dataset, feature and model they use.
rule all:
    input:
        "results/report/index.html",


onerror:
    print_failed_job_reasons(log)


check_config_references()
check_resource_rules()
