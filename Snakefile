# Reproducible deep-learning course studies: raw data -> features -> models -> figures -> report.
# Run `snakemake --cores 8 --resources gpu=1`; see README.md.

configfile: "config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/report.smk"


rule all:
    input:
        "results/report/index.html",


check_resource_rules()
