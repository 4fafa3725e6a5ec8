"""The ``dlrepro`` command: one subcommand group per pipeline stage.

Stage modules are imported only when their subcommand runs, so ``dlrepro --help``
answers at once instead of importing torch.
"""

from __future__ import annotations

import importlib

import click

# subcommand name -> (module, attribute, one-line help)
STAGES = {
    "artists": ("dlrepro.cli.artists", "artists", "S4: a small configurable CNN classifies paintings by artist."),
    "attention": ("dlrepro.cli.attention", "attention",
                  "S7: recurrent attention model on translated and cluttered digits (Mnih et al. 2014)."),
    "baselines": ("dlrepro.cli.baselines", "baselines", "S11: MLPs (with and without ReLU) and VGG-style CNNs."),
    "bench": ("dlrepro.cli.bench", "bench", "Measure the throughput of pipeline stages on generated data."),
    "captions": ("dlrepro.cli.captions", "captions",
                 "S13: image captioning (CNN encoder, LSTM decoder, soft attention), BLEU-1..4."),
    "classify": ("dlrepro.cli.classify", "classify", "Classical classifiers on feature tables; the S1 summary."),
    "data": ("dlrepro.cli.data", "data", "Download, verify and normalise datasets."),
    "double-descent": ("dlrepro.cli.double_descent", "double_descent", "S6: double descent across the nK threshold."),
    "embed": ("dlrepro.cli.embed", "embed", "2-D embeddings (PCA, MDS, Isomap, t-SNE) of feature tables."),
    "faces": ("dlrepro.cli.faces", "faces",
              "S3: face recognition by MLPs on pixels and by transfer learning from AlexNet."),
    "facescrub": ("dlrepro.cli.facescrub", "facescrub", "Fetch FaceScrub photos and crop the faces into datasets."),
    "features": ("dlrepro.cli.features", "features", "Extract feature tables (pixels, scattering, CNN layers)."),
    "finetune": ("dlrepro.cli.finetune", "finetune", "S1: train the last layer or fine-tune a CNN."),
    "generative": ("dlrepro.cli.generative", "generative",
                   "S8: VAE and GANs (minimax, non-saturating, WGAN-GP), samples scored by IS, FID, MS-SSIM."),
    "generalization": ("dlrepro.cli.generalization", "generalization",
                       "S5: fit randomised labels and pixels to zero training error (Zhang et al. 2017)."),
    "industrial": ("dlrepro.cli.industrial", "industrial",
                   "S14: defect detection on product images; dated tables scored by 20-day correlation."),
    "landscape": ("dlrepro.cli.landscape", "landscape",
                  "S12: teacher-student over-parameterisation, lottery tickets, measured generalization bounds."),
    "patches": ("dlrepro.cli.patches", "patches", "Cut a folder of large images into a patch dataset."),
    "raphael": ("dlrepro.cli.raphael", "raphael", "S2: authenticate drawings by leave-one-drawing-out patch votes."),
    "report": ("dlrepro.cli.report", "report", "Assemble study sections into the HTML report."),
    "scorecard": ("dlrepro.cli.scorecard", "scorecard", "Published results next to this run's, with a verdict."),
    "sequences": ("dlrepro.cli.sequences", "sequences", "S10: vanilla RNN vs LSTM on palindromes; a row-by-row LSTM."),
    "visualise": ("dlrepro.cli.visualise", "visualise",
                  "S9: Sketch-a-Net with stroke-order channels and scale fusion; deep, class and guided dreams."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(STAGES)

    def get_command(self, ctx, name):
        if name not in STAGES:
            return None
        module, attr, _ = STAGES[name]
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx):
        """Run the command; a file it cannot use (:class:`InputError`) ends it with one line, not a traceback."""
        from dlrepro.io import InputError

        try:
            return super().invoke(ctx)
        except InputError as err:
            raise click.ClickException(str(err)) from err

    def format_commands(self, ctx, formatter):
        rows = [(name, STAGES[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(package_name="dlrepro")
def main():
    """Reproducible pipeline for the classic deep-learning course studies.

    Each subcommand is one stage of the Snakemake workflow and can be run by hand.
    """
