# S6's config -> file lists and command settings, for the rules in s6.smk.


def s6_dataset_name(wildcards):
    return config["s6"]["dataset"]


def s6_dataset_files(wildcards):
    return dataset_files(s6_dataset_name(wildcards))


def s6_options(wildcards):
    """Command-line options of `dlrepro double-descent run` from the s6 config section."""
    s6 = config["s6"]
    widths = ",".join(str(width) for width in s6["widths"])
    return (
        f"--dataset-dir results/datasets/{s6['dataset']} --n-train {s6['n_train']} --widths {widths} "
        f"--epochs {s6['epochs']} --batch-size {s6['batch_size']} --optimizer {s6['optimizer']} "
        f"--lr {s6['lr']} --momentum {s6['momentum']} --step-size {s6['step_size']} --gamma {s6['gamma']} "
        f"--loss {s6['loss']} {'--reuse' if s6['reuse'] else '--no-reuse'} --seed {config['seed']}"
    )
