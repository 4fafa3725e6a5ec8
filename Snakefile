# Reproducible deep-learning course studies: raw data -> features -> models -> figures -> report.
# Run `snakemake --cores 8 --resources gpu=1`; see README.md.

configfile: "config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/facescrub.smk"
include: "workflow/rules/patches.smk"
include: "workflow/rules/features.smk"
include: "workflow/rules/embed.smk"
include: "workflow/rules/finetune.smk"
include: "workflow/rules/classify.smk"
include: "workflow/rules/s2.smk"
include: "workflow/rules/s5.smk"
include: "workflow/rules/s6.smk"
include: "workflow/rules/report.smk"


rule all:
    input:
        all_targets(),


check_resource_rules()
