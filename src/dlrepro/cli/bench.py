"""``dlrepro bench``: throughput measurements of pipeline stages on generated data."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.features.settings import KINDS as FEATURE_KINDS


@click.group()
def bench():
    """Measure the throughput of pipeline stages on generated data."""


@bench.command("features")
@click.option("--n-images", type=click.IntRange(min=1), default=256, help="Images in the generated dataset.")
@click.option("--image-size", type=click.IntRange(min=8), default=64, help="Square image size fed to every extractor.")
@click.option("--channels", type=click.Choice(["1", "3"]), default="1", help="Grayscale or RGB images.")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, help="Images per batch.")
@click.option("--extractor", "extractors", multiple=True, default=None,
              help="Extractor to time (repeatable): pixels, scattering, resnet18, vgg19, alexnet. Default: all.")
@click.option("--threads", type=click.IntRange(min=1), default=None, help="CPU threads for torch (default: all cores).")
@click.option("--repeats", type=click.IntRange(min=1), default=3,
              help="Timed passes over the dataset; the best one counts (raise it on a busy machine).")
def features_command(n_images, image_size, channels, batch_size, extractors, threads, repeats):
    """Images/s of each extractor end to end (with Parquet write) and of its model alone, on CPU and CUDA.

    ratio = full / model: the share of the bare model's speed the whole job keeps.
    """
    import torch  # here, not at the top: --help should not wait for torch

    from dlrepro.features.benchmark import BENCH_EXTRACTORS, benchmark_extractor, synthetic_dataset

    unknown = sorted(set(extractors) - set(BENCH_EXTRACTORS))
    if unknown:
        raise click.ClickException(f"unknown extractor {unknown}; choose from {sorted(BENCH_EXTRACTORS)}")
    if threads:
        torch.set_num_threads(threads)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    click.echo(f"{n_images} images {image_size}x{image_size}x{channels}, batch {batch_size}, "
               f"torch threads {torch.get_num_threads()}, {torch.__version__}")
    header = (f"{'extractor':<11} {'device':<6} {'dim':>7} {'build s':>8} {'full img/s':>11} {'model img/s':>12} "
              f"{'ratio':>6} {'peak RSS MB':>12}")
    click.echo(header)
    with tempfile.TemporaryDirectory() as tmp:
        folder = synthetic_dataset(Path(tmp) / "dataset", n_images, image_size, int(channels))
        for device in devices:
            for name in extractors or BENCH_EXTRACTORS:
                if name == "pixels" and device != "cpu":
                    continue  # pixels always run on the CPU
                with one_line_errors():
                    row = benchmark_extractor(name, folder, device, batch_size, repeats)
                click.echo(f"{row.extractor:<11} {row.device:<6} {row.dim:>7} {row.build_s:>8.2f} "
                           f"{row.full_images_per_s:>11.1f} {row.model_images_per_s:>12.1f} {row.ratio:>6.3g} "
                           f"{row.peak_rss_mb:>12.0f}")


@bench.command("plan")
@click.option("--configfile", "configfiles", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              multiple=True, default=[Path("config.yaml")],
              help="Config files, each merged over the ones before (as snakemake's --configfile), e.g. "
                   "--configfile config.yaml --configfile workflow/presets/paper.yaml.")
@click.option("--study", "studies", multiple=True, default=None,
              help="Plan only this study (repeatable), e.g. s1, s5. Default: every enabled study.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto",
              help="Where extractors and networks are timed (auto: CUDA when present).")
@click.option("--calibration", type=click.IntRange(min=50), default=1000,
              help="Training images of the generated problem each classifier is timed on.")
@click.option("--threads", type=click.IntRange(min=1), default=None, help="CPU threads for torch (default: all cores).")
def plan_command(configfiles, studies, device, calibration, threads):
    """Estimated time of each job of the config on this machine: S1's feature extraction and classifier fits
    (with memory), and every training job (S1 fine-tuning, S3-S12).

    Training jobs: each network is trained by the engine for a few generated batches at its configured size,
    batch size and optimizer; seconds per image (CPU seconds on the CPU, wall seconds on CUDA) x images x
    epochs x repeats. Evaluation of val/test splits, data loading and early stops are not modelled (runs
    to zero training error count at their maximum epochs). Jobs over the runtime or memory their rule gets in the config's `resources` are marked OVER.
    Takes minutes: every extractor, classifier and network is timed.
    """
    from dlrepro.features.plan import load_config, plan_s1
    from dlrepro.settings import without_switched_off
    from dlrepro.train.plan import STUDIES, plan_training

    files = ", ".join(map(str, configfiles))
    config = without_switched_off(load_config(configfiles))
    unknown = sorted(set(studies) - set(STUDIES))
    if unknown:
        raise click.ClickException(f"no plan for {unknown}; choose from {sorted(STUDIES)}")
    if threads:
        import torch

        torch.set_num_threads(threads)
    totals = {}
    if config.get("s1") and (not studies or "s1" in studies):
        with one_line_errors(KeyError, ValueError, message=f"{files}: {{}}"):
            jobs = plan_s1(config, device, calibration)
        click.echo(f"{'rule':<17} {'dataset':<14} {'extractor':<14} {'classifier':<14} {'images':>7} {'dim':>6} "
                   f"{'est. time':>10} {'est. MB':>8}")
        for job in jobs:
            click.echo(f"{job.rule:<17} {job.dataset:<14} {job.extractor:<14} {job.classifier or '-':<14} "
                       f"{job.images:>7} {job.dim:>6} {format_seconds(job.seconds):>10} "
                       f"{'-' if job.memory_mb is None else f'{job.memory_mb:.0f}':>8}"
                       f"{'' if job.fits else '  OVER'}")
        totals["s1 features + classifiers"] = (len(jobs), sum(job.seconds for job in jobs),
                                               sum(not job.fits for job in jobs))
    with one_line_errors(KeyError, ValueError, message=f"{files}: {{}}"):
        training, skipped = plan_training(config, None if device == "auto" else device, list(studies) or None)
    if not totals and not training:
        raise click.ClickException(f"{files}: no study to plan" + "".join(f"; {study}: {reason}"
                                                                          for study, reason in skipped.items()))
    if training:
        click.echo(f"\n{'rule':<20} {'wildcards':<34} {'networks':>8} {'steps':>10} {'est. time':>10}")
        for job in training:
            click.echo(f"{job.rule:<20} {job.wildcards or '-':<34} {len(job.networks):>8} {job.steps:>10} "
                       f"{format_seconds(job.seconds):>10}{'' if job.fits else '  OVER'}")
            study = job.rule.split("_")[0] + " training"
            count, seconds, over = totals.get(study, (0, 0.0, 0))
            totals[study] = (count + 1, seconds + job.seconds, over + (not job.fits))
    click.echo(f"\n{'study':<26} {'jobs':>5} {'est. time':>10} {'over':>5}")
    for study, (count, seconds, over) in totals.items():
        click.echo(f"{study:<26} {count:>5} {format_seconds(seconds):>10} {over:>5}")
    click.echo(f"{'all':<26} {sum(t[0] for t in totals.values()):>5} "
               f"{format_seconds(sum(t[1] for t in totals.values())):>10} {sum(t[2] for t in totals.values()):>5}"
               "  (one worker; OVER: above the runtime or memory of the rule's `resources`)")
    for study, reason in skipped.items():
        click.echo(f"{study}: not planned: {reason}")


def format_seconds(seconds: float) -> str:
    """3.2 s, 14 min, 5.1 h or 3.0 d: enough to compare jobs."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.1f} s"




@bench.command("classifiers")
@click.option("--features", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Feature table (Parquet) to time on, e.g. results/features/mnist/pixels.parquet. "
                   "Default: generated pixel-like features.")
@click.option("--feature-kind", type=click.Choice(sorted(FEATURE_KINDS)), default="pixels",
              help="Kind of the features; picks each classifier's default scaling.")
@click.option("--n-train", type=click.IntRange(min=10), default=10000, help="Training rows (the first of the table).")
@click.option("--n-test", type=click.IntRange(min=1), default=2000, help="Test rows (the first of the table).")
@click.option("--dim", type=click.IntRange(min=2), default=784, help="Features per generated row.")
@click.option("--configfile", "configfiles", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              multiple=True, default=None,
              help="Time the s1.classifiers of these config files, each merged over the ones before, e.g. "
                   "--configfile config.yaml --configfile workflow/presets/laptop.yaml. "
                   "Default: the embedded default's classifiers.")
@click.option("--classifier", "classifiers", multiple=True, default=None,
              help="Classifier to time (repeatable), by its name in the config, e.g. lda, logreg, linear_svm, "
                   "rbf_svm, random_forest, knn. Default: all.")
@click.option("--threads", type=click.IntRange(min=1), default=2, help="n_jobs of the classifiers that parallelise.")
def classifiers_command(features, feature_kind, n_train, n_test, dim, configfiles, classifiers, threads):
    """Fit and predict seconds of each S1 classifier, and its accuracy.

    The predict time includes the class scores (probabilities or decision values) the S1 job stores.
    """
    from dlrepro.models.benchmark import BENCH_CLASSIFIERS, benchmark_classifier, benchmark_matrices

    settings = BENCH_CLASSIFIERS
    if configfiles:
        from dlrepro.features.plan import load_config
        from dlrepro.settings import without_switched_off

        settings = without_switched_off(load_config(configfiles)).get("s1", {}).get("classifiers", {})
        if not settings:
            raise click.ClickException(f"{', '.join(map(str, configfiles))}: no s1.classifiers to time")
    unknown = sorted(set(classifiers) - set(settings))
    if unknown:
        raise click.ClickException(f"unknown classifier {unknown}; choose from {sorted(settings)}")
    train, train_labels, test, test_labels = benchmark_matrices(features, n_train, n_test, dim)
    click.echo(f"{features or 'generated'} ({feature_kind}): {len(train)} train / {len(test)} test rows, "
               f"{train.shape[1]} features, {threads} threads")
    click.echo(f"{'classifier':<14} {'scaling':<9} {'fit s':>8} {'predict s':>10} {'accuracy':>9}")
    for name in classifiers or settings:
        row = benchmark_classifier(name, settings[name], feature_kind, train, train_labels, test, test_labels, threads)
        click.echo(f"{row.classifier:<14} {row.scaling:<9} {row.fit_s:>8.2f} {row.predict_s:>10.2f} "
                   f"{row.accuracy:>9.4f}")
