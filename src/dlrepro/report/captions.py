"""Every caption of the report, in one place: the HTML report and Snakemake's ``--report`` share them.

Each caption is one function of the settings actually run. The HTML report calls it with the
run's values; ``snakemake_captions`` calls it with Jinja expressions over ``snakemake.config``
and ``snakemake.wildcards`` and writes the ``workflow/report/*.rst`` files Snakemake renders
(``dlrepro report captions``), so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dlrepro.models.scaling import DEFAULT_SCALING

# S1 dataset name -> the published results that match it (Xiao et al. 2017, Table 3: scikit-learn on
# raw pixels, the full training set; see the reference scorecard for every source).
S1_REFERENCES = {
    "mnist": (
        "MNIST at full size (60,000 training images): scattering + SVM about 99.4% (Bruna & Mallat 2013), "
        "raw pixels + a linear classifier about 92% (LeCun et al. 1998); scikit-learn on raw pixels in [0, 1] "
        "(Xiao et al. 2017, Table 3): SVC rbf C=10 97.3%, random forest (100 trees) 97.0%, "
        "k-NN (k=5) 95.9%, logistic regression C=1 91.7%"
    ),
    "fashion-mnist": (
        "Fashion-MNIST at full size (60,000 training images), scikit-learn on raw pixels in [0, 1] "
        "(Xiao et al. 2017, Table 3): SVC rbf C=10 89.7%, random forest (100 trees) 87.3%, "
        "k-NN (k=5) 85.4%, logistic regression C=1 84.2%"
    ),
    "cifar10": (
        "CIFAR-10 at full size (50,000 training images): scattering (J=2) order 1 / order 2 + a linear "
        "classifier 64% / 70.5% (kymatio examples/2d/cifar.py)"
    ),
}
NO_REFERENCE = "no published number for this data"

SCALING_WORDS = {
    "none": "features as extracted",
    "min_max": "each feature scaled to [0, 1] on the train split",
    "standard": "each feature standardised on the train split",
}

# The drawings the course project calls disputed; named only when the data run are those drawings.
COURSE_DISPUTED = (1, 7, 10, 20, 23, 25, 26)


def s1_reference(datasets: Iterable[str]) -> str:
    """'Reference: ...' quoting the published results of each dataset run, or saying there are none."""
    quoted = [S1_REFERENCES[d] for d in dict.fromkeys(datasets) if d in S1_REFERENCES]
    others = [d for d in dict.fromkeys(datasets) if d not in S1_REFERENCES]
    parts = quoted + ([f"{', '.join(others)}: {NO_REFERENCE}"] if others else [])
    return "Reference: " + "; ".join(parts) + "."


def s1_confusion_caption(dataset: str, extractor: str, classifier: str, scaling: str, reference: str,
                         result: str = "") -> str:
    return (
        f"S1: confusion matrix (rows: true class, columns: predicted; colour: fraction of the true class) of "
        f"the {classifier} classifier on the {extractor} features of {dataset} ({scaling}), fit on the train "
        f"split and scored on the test split.{result} {reference}"
    )


def s1_embedding_caption(method: str, dataset: str, extractor: str, max_points: str) -> str:
    return (
        f"S1: {method} embedding of the {extractor} features of {dataset}, computed on a seeded, "
        f"class-stratified subset of at most {max_points} images after standardising each feature; points "
        "coloured by class. Reference: qualitative only (no published number); compare the class separation "
        "across extractors."
    )


def s1_accuracy_caption(data: str, reference: str) -> str:
    return (
        f"S1: test accuracy of every classifier on every feature extractor, one panel per dataset ({data}); "
        "the axis starts near the lowest accuracy and each bar is labelled with its accuracy in %, so "
        f"differences of a point are visible (fine-tuned networks sit under their architecture). {reference}"
    )


def s1_tradeoff_caption(data: str) -> str:
    return (
        f"S1: test accuracy against time (wall clock, log scale) per classifier (colour) and feature extractor "
        f"(marker), one panel per dataset ({data}): the marker sits at the fit time and its line reaches the fit "
        "plus prediction time on the test split (prediction dominates for k-NN and RBF SVMs). "
        "Reference: no published timing; times are of this run's machine."
    )


def s1_finetune_caption(dataset: str, mode: str, arch: str) -> str:
    return (
        f"S1: training curves (loss and error per epoch on train, validation and test) of {arch} fine-tuned on "
        f"{dataset}, mode {mode}: only the new classification head (last_layer) or every weight (full). "
        "Reference: compare with the frozen features + classifiers of the S1 table."
    )


def s2_reference(disputed: Iterable[int]) -> str:
    if tuple(sorted(disputed)) == COURSE_DISPUTED:
        return ("Reference: the course project's drawings, whose disputed ones are 1, 7, 10, 20, 23, 25 and 26; "
                "it publishes no reference accuracy.")
    return "Reference: none published for these drawings."


def s2_votes_caption(classifier: str, extractor: str, result: str = "") -> str:
    return (
        f"S2 patch votes of the {classifier} classifier on {extractor} features, laid over each drawing: red "
        "patches vote Raphael, blue ones Not Raphael. Known drawings are voted on while held out "
        "(leave-one-drawing-out); disputed ones by the classifier fit on every known drawing. Panel titles give "
        f"the label, the decision (Undecided on a tied vote) and the share of Raphael votes.{result}"
    )


S4_REFERENCE = (
    "Reference: no published accuracy was found for the practical's art_data (451 paintings of 11 artists, "
    "50x50 px); the baselines are chance (1/K) and the majority-class rate."
)


S4_STANDIN = "art-standin"  # the embedded default's dataset: generated paintings (rule s4_generate_paintings)


def s4_data(dataset: str, standin: bool) -> str:
    """What S4 ran on, saying so loudly when it is the generated stand-in."""
    if standin:
        return (f"STAND-IN data ({dataset}): generated paintings of a few painters with distinct palettes and "
                "strokes, not the practical's art_data")
    return f"the paintings of dataset {dataset}"


def s4_curves_caption(experiment: str, data: str) -> str:
    return (
        f"S4: training and validation cross-entropy and error per epoch of the experiment {experiment}, on {data}, "
        "50x50 RGB in [-0.5, 0.5]. The gap between the lines is the overfitting the experiment's regulariser "
        f"should close. {S4_REFERENCE}"
    )


def s4_summary_caption(data: str, baselines: str) -> str:
    return (
        f"S4: training and validation accuracy of every experiment (blue) and architecture (orange) on {data}; "
        "the configuration chosen on validation accuracy alone is starred and scored once on the test split. "
        f"{baselines} {S4_REFERENCE}"
    )


def s4_robustness_caption(data: str, strengths: str) -> str:
    return (
        f"S4: test accuracy (%) on {data}, on the original test images and on changed copies ({strengths}), "
        "for the baseline network and the same network trained with those changes as augmentation. "
        "Reference (the practical's question): a CNN is not invariant to brightness, contrast, flips or "
        f"inversion unless it is trained for it. {S4_REFERENCE}"
    )


def s4_misclassified_caption(data: str, best: str) -> str:
    return (
        f"S4: test paintings of {data} that the configuration chosen on validation ({best}) misclassifies, "
        f"titled with the true and the predicted artist. {S4_REFERENCE}"
    )


S5_REFERENCE = (
    "Reference (Zhang et al. 2017, CIFAR-10/ImageNet): every variant, random labels and random pixels "
    "included, reaches zero training error; random labels take longer than true labels by a small "
    "constant factor; test error rises steadily with the label corruption to chance at p = 1; "
    "explicit regularisation changes this little."
)


def s5_curves_caption(setting: str) -> str:
    return (
        f"S5 (Zhang et al. 2017): training cross-entropy and training error per epoch of {setting}, one line per "
        "data variant (true, corrupted and random labels, shuffled and random pixels, Gaussian noise), each run "
        "stopped at zero training error. Reference: all variants reach zero training error, random labels last."
    )


def s5_corruption_caption(setting: str, n_train: str, dataset: str) -> str:
    return (
        "S5: epochs to zero training error and test error (true test labels) against the fraction p of training "
        f"labels resampled uniformly, in the regularisation setting {setting}, {n_train} training images of {dataset}. Reference: "
        "slower fitting and higher test error as p grows, up to chance (0.9 for 10 classes) at p = 1."
    )


def s5_width_sweep_caption(kind: str, widths: str, n_train: str, dataset: str) -> str:
    return (
        f"S5: test error and test cross-entropy of the {kind} against its parameter count, widths {widths}, true "
        f"labels of {n_train} {dataset} training images, no regularisation, each trained to zero training error "
        "(hollow: not reached). Reference: test error keeps falling or levels off as parameters grow although "
        "every net fits the training set; test cross-entropy can rise (over-confident mistakes)."
    )


def s6_caption(n_train: str, loss: str, dataset: str) -> str:
    return (
        f"S6 double descent (Belkin et al. 2019): train and test loss and 0-1 loss of one-hidden-layer networks "
        f"trained with the {loss} loss on n = {n_train} training images of {dataset} with K classes, against their "
        "number of parameters. The dashed line marks the interpolation threshold nK. Reference: Belkin et al. "
        "find the test risk peaking at nK on MNIST (n = 4000, nK = 40,000) before it descends again."
    )


S3_REFERENCE = (
    "Reference: the course assignment (Guerzhoy, CSC411 Project 2, University of Toronto) reports 80-85% "
    "test accuracy for the one-hidden-layer network on small grayscale faces of its six actors "
    "(70 training faces each)."
)


def s3_data(source: str) -> str:
    """What the faces are, in words every S3 caption starts from: real photos or the STAND-IN."""
    if source == "faces":
        return ("STAND-IN data: generated faces of six made-up people (40 each, 24/8/8 train/val/test), "
                "not FaceScrub photos")
    if source == "facescrub":
        return "FaceScrub photos (the bounding boxes of the list, cropped and resized)"
    return f"the {source} images"


def s3_mlp_curves_caption(data: str, settings: str) -> str:
    return (
        f"S3: learning curves (cross-entropy and error per epoch on train, validation and test) of the "
        f"one-hidden-layer networks on 28x28 grayscale faces ({data}); {settings}. {S3_REFERENCE}"
    )


def s3_hidden_units_caption(data: str, without: str, with_l2: str) -> str:
    return (
        f"S3: input weights of hidden units drawn as 28x28 images (red positive, blue negative), for each person "
        f"the units with the largest weight into that person's output; left {without}, right {with_l2} "
        f"({data}). Reference: the course shows such units as face-like templates; L2 weight decay makes them "
        "smoother and less noisy."
    )


def s3_table_caption(data: str, weights: str) -> str:
    return (
        f"S3: accuracy per model on {data}: MLPs on the pixels, a fully connected classifier on frozen AlexNet "
        f"conv4 activations and AlexNet fine-tuned with a new head (AlexNet weights: {weights}; random weights "
        f"learn no transferable features). Epochs trained and training images. {S3_REFERENCE}"
    )


def s3_transfer_curves_caption(data: str, weights: str) -> str:
    return (
        f"S3: learning curves of the transfer models on {data}: the classifier on frozen AlexNet conv4 "
        f"activations and AlexNet fine-tuned (last layer only, and every layer), AlexNet weights: {weights}. "
        "Reference: the course finds conv4 features of the ImageNet AlexNet beat the MLP on pixels."
    )


def s3_predictions_caption(data: str, model: str) -> str:
    return (
        f"S3: predictions of {model} on example test faces ({data}): true person -> predicted person; wrong "
        "predictions in red with a red frame. Reference: qualitative, as in the course."
    )


def s3_saliency_caption(data: str, model: str) -> str:
    return (
        f"S3: guided backpropagation (captum's GuidedBackprop) of {model} for one test face per person "
        f"({data}): the positive part of the gradient of the true person's score, largest over colour channels, "
        "scaled to its maximum (bright: pixels that raise the score). Reference: qualitative, as in the course."
    )


S7_REFERENCE = (
    "Reference (Mnih et al. 2014): test error of RAM falls with more glimpses and beats the conv net on "
    "cluttered canvases, e.g. 4 / 6 / 8 glimpses 1.54 / 1.22 / 1.20 % on 60x60 translated and 4.96 / 4.08 / "
    "4.04 % on 60x60 cluttered MNIST, conv net 1.62 and 8.09 % (NIPS version, Tables 1b and 2a)."
)


def s7_data(source: str, digit_size: str) -> str:
    """What S7's canvases are made of (``source``: the digits' dataset source), saying so when it is not MNIST."""
    if source == "mnist":
        return f"MNIST digits ({digit_size} px) placed at random on the canvases"
    return (f"STAND-IN digits: source {source}, not MNIST, resized to {digit_size} px on canvases scaled down "
            "in proportion")


def s7_errors_caption(data: str) -> str:
    return (f"S7: test error (%) of the FC net, the conv net and RAM with each number of glimpses on each canvas, "
            f"{data}; Mnih et al.'s number beside ours where the canvas is theirs. {S7_REFERENCE}")


def s7_paths_caption(data: str) -> str:
    return (f"S7: glimpse paths of RAM (the most glimpses trained) over test canvases, {data}: locations in order "
            "(1 = first), the retina's scales as boxes around the last one, titled with the true and predicted class. "
            f"Reference: Mnih et al.'s Fig. 2 shows paths that find the digit and stay on it. {S7_REFERENCE}")


def s7_glimpses_caption(data: str) -> str:
    return (f"S7: what RAM sees of one test canvas, {data}: one row per glimpse, one column per retina scale "
            "(each averaged down to the smallest patch). " + S7_REFERENCE)


def s7_curves_caption(data: str) -> str:
    return (f"S7: RAM training per epoch on one canvas ({data}): train and test accuracy, mean reward (correct "
            "final class) and the baseline's squared error, one line per number of glimpses. "
            "The reward rises with the accuracy; the baseline tracks it. " + S7_REFERENCE)


S8_REFERENCE = (
    "Reference: Miyato et al. 2018 (SN-GAN), Table 2, CIFAR-10 with ImageNet's Inception-v3: Inception Score of "
    "real data 11.24, WGAN-GP (ResNet, Gulrajani et al. 2017) 7.86, DCGAN 6.64; FID real 7.8, WGAN-GP (standard "
    "CNN) 40.2. Burda et al. 2016 (IWAE), Table 1: VAE on binarised MNIST, test NLL 86.76 nats. Our scores use a "
    "classifier trained on the same dataset, so they are on another scale."
)
S8_REAL = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10"}


def s8_data(datasets: list[str], size: str) -> str:
    """What S8 models, saying STAND-IN for datasets that are not the papers'."""
    names = [S8_REAL.get(name, f"STAND-IN {name} (not a paper's dataset)") for name in datasets]
    return ", ".join(names) + f" at {size} px"


def s8_grids_caption(data: str) -> str:
    return (f"S8: samples of the same fixed latent codes after chosen epochs ({data}), one row per model: VAE "
            "(decoder means), GANs with the minimax, non-saturating and WGAN-GP objectives. " + S8_REFERENCE)


def s8_interpolations_caption(data: str) -> str:
    return (f"S8: decoded or generated images along the path between two latent codes ({data}), linear and spherical "
            "(slerp, White 2016), per model. Smooth changes between plausible images mean the model did not "
            "memorise single points. " + S8_REFERENCE)


def s8_metrics_caption(data: str) -> str:
    return (f"S8: sample quality per dataset and model ({data}), the real test images first: Inception Score and "
            "FID with a classifier the pipeline trains on the same data (FID against real training images), the "
            "diversity score exp(-KL(p(y) || p*(y))) against the real class frequencies (1 is best), MS-SSIM "
            "between random pairs (lower is more diverse), the VAE's test negative ELBO in nats. " + S8_REFERENCE)

S10_REFERENCE = (
    "Expected (no published number for this task): the vanilla RNN drops to chance from some T on while the "
    "LSTM still learns much longer sequences, because the gradient reaching the first steps vanishes with T "
    "(Bengio et al. 1994; Hochreiter & Schmidhuber 1997)."
)
S10_ROW_REFERENCE = (
    "Reference: 98.64 % test accuracy on MNIST after 5 epochs for a hierarchical LSTM (a 128-unit LSTM over the "
    "28 pixels of each row, then a 128-unit LSTM over the 28 row codes; RMSprop, batches of 32, 60,000 training "
    "images; Keras example mnist_hierarchical_rnn): a related model, not ours."
)
S11_REFERENCE = (
    "Reference: scikit-learn's MLPClassifier (one hidden layer of 100 ReLU units) on raw pixels reaches 97.2 % on "
    "MNIST and 87.1 % on Fashion-MNIST (Xiao et al. 2017, Table 3; 60,000 training images); a network without "
    "ReLU is a linear classifier however deep (about 92 % on MNIST, as logistic regression in the same table)."
)


def image_data(dataset: str) -> str:
    """What S10's row LSTM and S11's networks read, saying so when it is not MNIST or Fashion-MNIST."""
    if dataset == "mnist":
        return "MNIST (28x28)"
    if dataset == "fashion-mnist":
        return "Fashion-MNIST (28x28)"
    return f"STAND-IN data: dataset {dataset}, not MNIST or Fashion-MNIST"


def s10_accuracy_caption(settings: str) -> str:
    return (f"S10: test accuracy of predicting the last digit of a palindrome of length T from its first T - 1 "
            f"digits (one-hot, generated and seeded; chance 10 %), a vanilla tanh RNN and an LSTM ({settings}), "
            f"each trained without and with clipping of the gradient norm on sequences drawn at random, so that "
            f"it must carry the first digit rather than memorise a fixed training set. The line is the mean over "
            f"seeds, the band their range and each seed a dot: whether and when a network leaves chance depends "
            f"on its initialisation. {S10_REFERENCE}")


def s10_gradient_caption(settings: str) -> str:
    return (f"S10: norm of the loss gradient with respect to the first hidden state, ||dL/dh_1||, against the "
            f"palindrome length T, at initialisation and after training ({settings}); log scale. It measures what "
            f"of the error signal reaches the digit the network must remember. {S10_REFERENCE}")


def s10_palindromes_caption(settings: str) -> str:
    return (f"S10: palindrome runs ({settings}): test accuracy, first-step gradient norms at initialisation and "
            f"after training, CPU seconds. {S10_REFERENCE}")


def s10_row_caption(data: str) -> str:
    return (f"S10: an LSTM reading each image row by row ({data}: one step per row of pixels), beside S11's best "
            f"MLP and best VGG net on the same data when S11 runs on it; test accuracy and parameters. "
            f"{S10_ROW_REFERENCE}")


def s10_row_curves_caption(data: str) -> str:
    return (f"S10: training curves of the row LSTM ({data}): loss and error per epoch on train and test. "
            + S10_ROW_REFERENCE)


def s11_accuracy_caption(data: str) -> str:
    return (f"S11: test accuracy against parameter count ({data}) of MLPs of each depth and width, with ReLU "
            f"(solid) and without (dashed: a linear map however deep), and of VGG-style CNNs (stars). {S11_REFERENCE}")


def s11_curves_caption(data: str) -> str:
    return (f"S11: training curves ({data}): loss and error per epoch on train and test of the best ReLU MLP, the "
            f"best linear MLP and every VGG net. {S11_REFERENCE}")


def s11_table_caption(data: str) -> str:
    return (f"S11: every network trained ({data}): family, activation, depth (hidden layers; VGG: 3x3 convolutions "
            f"per stage), width (VGG: channels per stage), parameters, train and test accuracy, CPU seconds. "
            f"{S11_REFERENCE}")


# S12: teacher-student, lottery tickets, generalization bounds
S12_TICKET_REFERENCE = (
    "Reference (Frankle & Carbin 2019, Sec. 2 and Fig. 3-4, LeNet-300-100 on MNIST, pruning 20 % per layer and "
    "10 % of the output layer per round): winning tickets learn faster than the original network down to 21.1 % "
    "of the weights remaining and match its test accuracy down to 3.6 %; randomly re-initialised tickets learn "
    "slower and lose accuracy once more than about half the weights are pruned."
)
S12_BOUNDS_FORMULA = (
    "Bartlett et al. 2017: test error <= margin training error + O~(||X||_F R / (gamma n)) + sqrt(log(1/delta) / n), "
    "R = prod_i ||W_i||_2 (sum_i (||W_i - W_i^0||_2,1 / ||W_i||_2)^(2/3))^(3/2); gamma a low quantile of the "
    "training margins f(x)_y - max_j!=y f(x)_j; biases left out."
)


S12_CONV_TICKET_REFERENCE = (
    "Reference (Frankle & Carbin 2019, Sec. 3, Conv-2 / Conv-4 on CIFAR-10, pruning 10 % of each convolution, 20 % "
    "of each fully connected layer and 10 % of the output layer per round): in their abstract's words, winning "
    "tickets less than 10-20 % of the original size are found, and above that size they learn faster than the "
    "original network and reach higher test accuracy; no number is compared."
)
S12_PAPER_DATA = {"mlp": ("mnist", "MNIST"), "conv2": ("cifar10", "CIFAR-10"), "conv4": ("cifar10", "CIFAR-10")}


def s12_data(dataset: str, network: str = "mlp") -> str:
    """What the lottery tickets are trained on, saying so when it is not Frankle & Carbin's data for the
    network (LeNet-300-100: MNIST; Conv-2 and Conv-4: CIFAR-10)."""
    paper, name = S12_PAPER_DATA[network]
    if dataset == paper:
        return name
    return f"STAND-IN: dataset {dataset}, not Frankle & Carbin's {name}"


def s12_ticket_reference(network: str) -> str:
    return S12_TICKET_REFERENCE if network == "mlp" else S12_CONV_TICKET_REFERENCE


def s12_teacher_student_caption(settings: str) -> str:
    return (f"S12 teacher-student (Livni et al. 2014's setting), generated data: {settings}. Left: fraction of "
            "random initialisations of each student width that reach zero training error; right: the students' "
            "mean error against the teacher. Reference: Livni et al. report that students wider than the teacher "
            "train more easily (over-specification); no number is compared.")


def s12_lottery_caption(data: str, settings: str, reference: str) -> str:
    return (f"S12 lottery tickets, {data}: test accuracy at the early-stopping iteration (lowest validation loss) "
            "and that iteration vs the percent of weights remaining, for iterative magnitude pruning with "
            f"rewinding (winning ticket), the same masks re-initialised, and random masks; {settings}. " + reference)


def s12_bounds_caption(data: str) -> str:
    return (f"S12 generalization bounds measured on the MLPs S5 and S6 train ({data}): each norm-based measure "
            "against the generalization gap (test - train error), a colour per series: S5's width sweep and "
            "label-corruption levels, S6's double-descent widths. A measure that tracks the gap rises with it in "
            "every series; Nagarajan & Kolter 2019 point out measures that grow with width while the gap does not. "
            + S12_BOUNDS_FORMULA)


def s12_bounds_s6_caption(data: str) -> str:
    return (f"S12 generalization bounds along S6's double-descent sweep ({data}): each norm-based measure (left "
            "axis, log) and the generalization gap (right axis) against the parameter count, across the "
            "interpolation threshold nK (dotted). Below nK each width starts from the smaller trained one "
            "(Belkin et al.'s weight reuse), so its distance from initialisation is measured from that start. "
            "A measure that tracks the gap peaks with it near nK; one that keeps growing with the parameter count "
            "does not. " + S12_BOUNDS_FORMULA)

# S9: Sketch-a-Net and network visualisation
S9_REFERENCE = (
    "Reference (Yu et al. 2015, Sketch-a-Net that Beats Humans, BMVC): on TU-Berlin's 250 classes (20,000 sketches, "
    "three-fold cross-validation) Sketch-a-Net with stroke-order channels and multi-scale fusion reaches 74.9 % top-1, "
    "above the 73.1 % of human viewers (Eitz et al. 2012)."
)


def s9_data(source: str) -> str:
    """What the sketches are, STAND-IN unless TU-Berlin."""
    if source.startswith("TU-Berlin"):
        return source
    return "STAND-IN: generated doodles of simple objects drawn stroke by stroke, not TU-Berlin"


def s9_sketches_caption(data: str) -> str:
    return (f"S9 sketches ({data}): examples of each class, strokes coloured by drawing order (first third red, "
            "second green, last blue), the three chronological parts of the stroke-order channels.")


def s9_accuracy_caption(data: str, settings: str) -> str:
    return (f"S9 Sketch-a-Net ({data}; {settings}): top-1 and top-5 test accuracy of the single full-sketch channel, "
            "the six stroke-order channels (parts p1, p2, p3 and unions p1+p2, p2+p3, p1+p2+p3), the stroke-order "
            "network on sketches blurred at each scale (down- then up-sampled), and the fusion of the scales (mean of "
            f"their softmax outputs). {S9_REFERENCE}")


def s9_confusion_caption(data: str, network: str) -> str:
    return (f"S9 Sketch-a-Net ({data}): confusion matrix of the {network} network among the most confused classes "
            "(rows: true class, colour: fraction of the true class, numbers: test sketches).")


def s9_sketch_dreams_caption(data: str, steps: str) -> str:
    return (f"S9 class dreams from noise with the full-sketch Sketch-a-Net trained here ({data}): each class's logit "
            f"raised by {steps} normalised gradient steps from grey noise, shown as dark ink on white.")


def s9_network(network: str, weights: str) -> str:
    """The dreaming network, saying when its weights are not ImageNet's."""
    if network == "sketch":
        return "the full-sketch Sketch-a-Net trained here (not an ImageNet network: its weights cannot be fetched here)"
    if weights == "imagenet":
        return f"{network} with ImageNet weights"
    return f"{network} with {weights} weights (not ImageNet's)"


def s9_grid_caption(network: str, photo: str, settings: str) -> str:
    return (f"S9 deep dreams of {photo} with {network}: rows are layers whose response's L2 norm is raised, columns "
            f"step sizes (mean absolute step in [0, 1] pixel units); {settings}.")


def s9_objective_caption(network: str) -> str:
    return (f"S9 deep dream with {network}: the L2 norm of the layer's response before each gradient step, per "
            "layer and step size; it rises with the iterations (larger steps rise faster).")


def s9_octaves_caption(network: str, layer: str, octaves: str) -> str:
    return (f"S9 octaves with {network}, layer {layer}: the dream at the end of each of {octaves} octaves, smallest "
            "first; each octave is upsampled, the detail the dream added is carried over, and the dream continues.")


def s9_guided_caption(network: str, layer: str, guide: str) -> str:
    return (f"S9 guided dreaming with {network}, layer {layer}: the guide ({guide}), the start image and the dream "
            "that raises the dot product of each position's activations with the best-matching guide activations.")


def s9_class_dreams_caption(network: str, steps: str) -> str:
    return (f"S9 class dreams from noise with {network}: ImageNet class logits raised by {steps} normalised "
            "gradient steps each, titled by class index.")



# S13: image captioning
S13_STANDIN = "shapes-standin"  # the stand-in's dataset name (dlrepro.data.captions.STANDIN_NAME)
S13_REFERENCE = (
    "Reference (Xu et al. 2015, Show, Attend and Tell, Table 1, Flickr8K test split, 1,000 images with five "
    "captions each, VGG conv5_4 encoder): BLEU-1/2/3/4 soft attention 67/44.8/29.9/19.5, hard attention "
    "67/45.7/31.4/21.3; Show and Tell (Google NIC, Vinyals et al. 2015, as quoted there) BLEU-1 63."
)


def s13_data(dataset: str, size: str) -> str:
    """What S13 captions: Flickr8K, or the STAND-IN scenes, at the stored image size."""
    if dataset == "flickr8k":
        return f"Flickr8K (your copy; images at {size} x {size} px, five captions each, the official splits)"
    return (f"STAND-IN data ({dataset}): generated {size} x {size} px scenes of two coloured shapes side by side or "
            "one above the other, captioned by templates (five phrasings), not Flickr8K")


def s13_examples_caption(data: str, settings: str) -> str:
    return (f"S13: test images ({data}) with the captions the model wrote, by greedy decoding and by beam search "
            f"(bold), and two of their reference captions (grey); {settings}. " + S13_REFERENCE)


def s13_attention_caption(data: str) -> str:
    return (f"S13: where the decoder looked ({data}): the first test images, then the image seen through the soft "
            "attention weights of each word of its beam-search caption (bright: high weight), as in Xu et al. 2015, "
            "Fig. 2-3. " + S13_REFERENCE)


def s13_curves_caption(data: str) -> str:
    return (f"S13: teacher-forced training curves ({data}): cross-entropy per word (left) and next-word error "
            "(right) on the train, validation and test captions, each word predicted from the true previous ones. "
            + S13_REFERENCE)


def s13_bleu_caption(data: str) -> str:
    return (f"S13: corpus BLEU-1..4 (in percent) on the test images ({data}) against all their reference captions "
            "(torchmetrics, unsmoothed, brevity penalty), greedy and beam search, next to the published rows of "
            "Xu et al. 2015, Table 1 (Flickr8K; our numbers on other data are not comparable).")


S14_REFERENCE = (
    "Reference: no published number is compared (the Nexperia images and the equity/machine series are "
    "user-supplied; the seeds ask for a 20-day correlation with the target, and below 0.3 with the existing "
    "linear prediction)."
)
S14_STANDIN_DIES = "dies-standin"  # the embedded default's image dataset: generated dies (rule s14_standins)


def s14_image_data(dataset: str, standin: bool) -> str:
    """What S14's images are, saying so loudly when they are the generated dies."""
    if standin:
        return (f"STAND-IN images ({dataset}): generated gray dies, the bad ones with synthetic scratches and "
                "spots, not the Nexperia images")
    return f"the good/bad product images of dataset {dataset}"


def s14_series_data(csv: str | None) -> str:
    """What S14's time series is, saying so when it is the generated factor-model panel."""
    if csv is None:
        return ("STAND-IN series: a generated factor-model panel (about 80 features, a known linear plus "
                "non-linear signal, settings s14.standin.panel), not an equity or machine table")
    return f"the dated table {csv}"


def s14_roc_caption(data: str, settings: str) -> str:
    return (f"S14 defect detection on {data}: ROC curves on the test split of the fine-tuned CNN (score: the "
            "defect class's softmax probability) and of two outlier scores fitted on good training images only "
            "(mean distance to the k nearest good images in the CNN backbone's pooled features; PCA reconstruction "
            f"error of the pixels), with the classifier's confusion matrix; {settings}. {S14_REFERENCE}")


def s14_gradcam_caption(data: str, layer: str) -> str:
    return (f"S14 Grad-CAM (captum LayerGradCam at layer {layer}, upsampled to the image) of the defect class's "
            f"score over test images of each class, {data}: warm colours mark the regions that raise the defect "
            "score; on a bad die they should sit on the scratch or spot. Title: true class and defect score.")


def s14_correlations_caption(data: str, settings: str) -> str:
    return (f"S14 time series, {data}: Pearson correlation between out-of-sample prediction and target on each "
            "block of 20 consecutive dates, per model fitted by rolling origin (each fold trained only on dates "
            "before its test block), plain (top, with the existing linear prediction) and residualised on the "
            f"linear prediction (bottom); {settings}. {S14_REFERENCE}")


# an rst comment: Snakemake's report does not show it
GENERATED_NOTE = ".. Written by dlrepro.report.captions.write_snakemake_captions: edit the captions there."


def jinja(expression: str) -> str:
    return "{{ " + expression + " }}"


def jinja_lookup(key: str, mapping: dict[str, str], default: str) -> str:
    """A Jinja if-chain giving ``mapping[key]`` (``key`` a Jinja expression), else ``default``."""
    branches = "".join(
        "{% " + ("if" if i == 0 else "elif") + f' {key} == "{name}" %}}{text}' for i, (name, text) in enumerate(mapping.items())
    )
    return branches + "{% else %}" + default + "{% endif %}"


def image_data_jinja(dataset: str) -> str:
    """:func:`image_data` of the Jinja expression ``dataset``."""
    return jinja_lookup(dataset, {name: image_data(name) for name in ("mnist", "fashion-mnist")},
                        image_data(jinja(dataset)))


def snakemake_captions() -> dict[str, str]:
    """File name -> text of the caption templates Snakemake's ``--report`` renders (workflow/report/)."""
    wildcard = "snakemake.wildcards."
    config = 'snakemake.config["s1"]'
    classifier = f'{config}["classifiers"][{wildcard}classifier]'
    feature_kind = f'{config}["extractors"][{wildcard}extractor]["kind"]'
    scaling = (
        "{% if " + f'"scaling" in {classifier}' + " %}"
        + jinja_lookup(f'{classifier}["scaling"]', SCALING_WORDS, "")
        + "{% else %}"
        + jinja_lookup(feature_kind, {kind: SCALING_WORDS[name] for kind, name in DEFAULT_SCALING.items()}, "")
        + "{% endif %}"
    )
    dataset_reference = "Reference: " + jinja_lookup(f"{wildcard}dataset", S1_REFERENCES, NO_REFERENCE) + "."
    datasets = jinja(f'{config}["datasets"]|join(", ")')
    all_references = (
        "Reference: {% for name in " + f'{config}["datasets"]' + " %}"
        + jinja_lookup("name", S1_REFERENCES, "{{ name }}: " + NO_REFERENCE)
        + "{% if not loop.last %}; {% endif %}{% endfor %}."
    )
    s3 = 'snakemake.config["s3"]'
    s3_source = f'snakemake.config["datasets"].get({s3}["pixel_dataset"], {{}}).get("source", "facescrub")'
    s3_data_jinja = jinja_lookup(s3_source, {source: s3_data(source) for source in ("faces", "facescrub")},
                                 "the configured images")
    s6 = 'snakemake.config["s6"]'
    s5 = 'snakemake.config["s5"]'
    s5_train = jinja(f'{s5}["max_train"] or "all"')
    s4_dataset = 'snakemake.config["s4"]["dataset"]'
    s7 = 'snakemake.config["s7"]'
    s7_source = f'snakemake.config["datasets"].get({s7}["dataset"], {{}}).get("source", {s7}["dataset"])'
    s7_data_text = jinja_lookup(s7_source, {"mnist": s7_data("mnist", "28")},
                                s7_data(jinja(s7_source), "the size set in s7.canvases"))
    s8 = 'snakemake.config["s8"]'
    s8_datasets, s8_size = jinja(f'{s8}["datasets"]|join(", ")'), jinja(f'{s8}["size"] or "their own"')
    s8_data_text = (f"datasets {s8_datasets} at {s8_size} px; any not MNIST, Fashion-MNIST or CIFAR-10 is a "
                    "STAND-IN (digits: scikit-learn's 8x8 digits)")
    s10 = 'snakemake.config["s10"]'
    s10_settings = (jinja(f'{s10}["palindromes"]["hidden"]') + " hidden units, clipping at norm "
                    + jinja(f'{s10}["palindromes"]["max_norm"]') + ", "
                    + jinja(f'{s10}["palindromes"]["seeds"]') + " seeds per point, settings s10.palindromes")
    s10_data_text = image_data_jinja(f'{s10}["dataset"]')
    s11_data_text = ("{% for name in snakemake.config[\"s11\"][\"datasets\"] %}" + image_data_jinja("name")
                     + "{% if not loop.last %}; {% endif %}{% endfor %}")
    s12_lottery = 'snakemake.config["s12"]["lottery"]'
    s12_network = f'{s12_lottery}.get("network", "mlp")'
    s12_data_text = jinja_lookup(f'{s12_lottery}["dataset"] ~ "/" ~ {s12_network}',
                                 {f"{paper}/{network}": s12_data(paper, network)
                                  for network, (paper, _) in S12_PAPER_DATA.items()},
                                 s12_data(jinja(f'{s12_lottery}["dataset"]'), "mlp") + " (Conv-2 / Conv-4: CIFAR-10)")
    s12_reference = jinja_lookup(s12_network, {"mlp": S12_TICKET_REFERENCE}, S12_CONV_TICKET_REFERENCE)
    s9 = 'snakemake.config["s9"]'
    s9_data_text = jinja_lookup(f'({s9}["sketches"]["folder"] and "tu-berlin" or "standin")',
                                {"tu-berlin": s9_data("TU-Berlin sketches (Eitz et al. 2012)")}, s9_data("standin"))
    s9_dream = f'{s9}["dream"]'
    s9_network_text = jinja_lookup(f'{s9_dream}["network"]', {"sketch": s9_network("sketch", "")},
                                   jinja(f'{s9_dream}["network"]') + " with " + jinja(f'{s9_dream}["weights"]')
                                   + " weights")
    s13 = 'snakemake.config["s13"]'
    s13_size = jinja(f'{s13}["data"]["size"]')
    s13_data_text = ("{% if snakemake.config[\"s13\"][\"data\"][\"flickr8k\"] %}" + s13_data("flickr8k", s13_size)
                     + "{% else %}" + s13_data(S13_STANDIN, s13_size) + "{% endif %}")
    s4_data_text = jinja_lookup(s4_dataset, {S4_STANDIN: s4_data(S4_STANDIN, True)}, s4_data(jinja(s4_dataset), False))
    s14_dataset = 'snakemake.config["s14"]["images"]["dataset"]'
    s14_image_text = jinja_lookup(s14_dataset, {S14_STANDIN_DIES: s14_image_data(S14_STANDIN_DIES, True)},
                                  s14_image_data(jinja(s14_dataset), False))
    s14_csv = 'snakemake.config["s14"]["timeseries"]["csv"]'
    s14_series_text = ("{% if " + s14_csv + " is none %}" + s14_series_data(None) + "{% else %}"
                       + s14_series_data(jinja(s14_csv)) + "{% endif %}")
    return {
        "s1_confusion.rst": s1_confusion_caption(jinja(f"{wildcard}dataset"), jinja(f"{wildcard}extractor"),
                                                 jinja(f"{wildcard}classifier"), scaling, dataset_reference),
        "s1_embedding.rst": s1_embedding_caption(jinja(f"{wildcard}method"), jinja(f"{wildcard}dataset"),
                                                 jinja(f"{wildcard}extractor"),
                                                 jinja(f'{config}["embeddings"]["max_points"]')),
        "s1_accuracy.rst": s1_accuracy_caption(datasets, all_references),
        "s1_tradeoff.rst": s1_tradeoff_caption(datasets),
        "s1_finetune.rst": s1_finetune_caption(jinja(f"{wildcard}dataset"), jinja(f"{wildcard}mode"),
                                               jinja(f'{config}["finetune"]["arch"]')),
        "s2_votes.rst": s2_votes_caption(jinja(f"{wildcard}classifier"), jinja(f"{wildcard}extractor")),
        "s3_summary.rst": s3_mlp_curves_caption(s3_data_jinja, "settings: s3.mlps and s3.train of the config")
        + " " + s3_hidden_units_caption(s3_data_jinja, jinja(f'{s3}["hidden_units"][0]'),
                                        jinja(f'{s3}["hidden_units"][1]')),
        "s3_explain.rst": s3_predictions_caption(s3_data_jinja, "the fine-tuned AlexNet") + " "
        + s3_saliency_caption(s3_data_jinja, "the fine-tuned AlexNet"),
        "s4_curves.rst": s4_curves_caption("named in the figure's title", s4_data_text),
        "s4_summary.rst": s4_summary_caption(s4_data_text, "The lines mark chance and the majority-class rate."),
        "s4_robustness.rst": s4_robustness_caption(s4_data_text, "their strengths set in s4.robustness"),
        "s4_misclassified.rst": s4_misclassified_caption(s4_data_text, "named in the figure's title"),
        "s5_curves.rst": s5_curves_caption("one model and regularisation setting"),
        "s5_summary.rst": s5_corruption_caption("that has no regulariser (else the most common one)", s5_train,
                                                jinja(f'{s5}["dataset"]'))
        + " " + s5_width_sweep_caption(jinja(f'{s5}["sweep"]["kind"]'), jinja(f'{s5}["sweep"]["widths"]|join(", ")'),
                                       s5_train, jinja(f'{s5}["dataset"]')),
        "s6.rst": s6_caption(jinja(f'{s6}["n_train"]'), jinja(f'{s6}["loss"]|replace("_", "-")'),
                             jinja(f'{s6}["dataset"]')),
        "s7_errors.rst": s7_errors_caption(s7_data_text),
        "s7_paths.rst": s7_paths_caption(s7_data_text),
        "s7_glimpses.rst": s7_glimpses_caption(s7_data_text),
        "s7_curves.rst": s7_curves_caption(s7_data_text),
        "s8_grids.rst": s8_grids_caption(s8_data_text),
        "s8_interpolations.rst": s8_interpolations_caption(s8_data_text),
        "s8_metrics.rst": s8_metrics_caption(s8_data_text),
        "s10_palindromes.rst": s10_accuracy_caption(s10_settings) + " " + s10_gradient_caption(s10_settings),
        "s10_row_lstm.rst": s10_row_caption(s10_data_text) + " " + s10_row_curves_caption(s10_data_text),
        "s11.rst": s11_accuracy_caption(s11_data_text) + " " + s11_curves_caption(s11_data_text),
        "s9_sketches.rst": s9_accuracy_caption(s9_data_text, "settings: s9.sketch_a_net of the config"),
        "s9_dreams.rst": s9_grid_caption(s9_network_text, "the configured photo (s9.dream.image; matplotlib's "
                                         "Grace Hopper by default)", "settings: s9.dream of the config") + " "
        + s9_objective_caption(s9_network_text),
        "s12_teacher_student.rst": s12_teacher_student_caption("settings: s12.teacher_student of the config"),
        "s12_lottery.rst": s12_lottery_caption(s12_data_text, "settings: s12.lottery of the config", s12_reference),
        "s12_bounds.rst": s12_bounds_caption("S5 on " + jinja(f'{s5}["dataset"]') + ", S6 on "
                                             + jinja(f'{s6}["dataset"]'))
        + " " + s12_bounds_s6_caption(jinja(f'{s6}["dataset"]')),
        "s13_examples.rst": s13_examples_caption(s13_data_text, "settings: s13.captioner of the config"),
        "s13_curves.rst": s13_curves_caption(s13_data_text),
        "s13_attention.rst": s13_attention_caption(s13_data_text),
        "s14_roc.rst": s14_roc_caption(s14_image_text, "settings: s14.images of the config"),
        "s14_gradcam.rst": s14_gradcam_caption(s14_image_text, jinja('snakemake.config["s14"]["images"]["gradcam"]["layer"]')),
        "s14_correlations.rst": s14_correlations_caption(s14_series_text, "settings: s14.timeseries of the config"),
    }


def write_snakemake_captions(folder: str | Path) -> list[Path]:
    """Write the caption templates into ``folder`` (the workflow's report/ folder); returns their paths."""
    written = []
    for name, text in snakemake_captions().items():
        path = Path(folder) / name
        path.write_text(f"{GENERATED_NOTE}\n\n{text}\n")
        written.append(path)
    return written
