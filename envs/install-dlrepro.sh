#!/usr/bin/env bash
# Post-deploy script of every envs/<family>.yaml (linked as <family>.post-deploy.sh): Snakemake
# runs it inside the new environment to install dlrepro from the checkout that runs the workflow
# (DLREPRO_SRC, set by workflow/rules/common.smk). Editable, so the environment runs the code
# of the checkout; --no-deps, because the environment file already pins the dependencies.
set -euo pipefail
python -m pip install --no-deps --editable "${DLREPRO_SRC:?DLREPRO_SRC unset: let snakemake create the environment}"
