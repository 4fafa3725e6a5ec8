"""Leave-one-drawing-out: classify patches, let each drawing's patches vote, score the decisions.

Every known drawing (Raphael or Not Raphael) is held out once: a classifier fit on the patches
of the other known drawings votes on each of its patches, and the share of Raphael votes is the
drawing's score. Disputed drawings are voted on by a classifier fit on every known drawing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from dlrepro.authentication.drawings import DISPUTED, NOT_RAPHAEL, RAPHAEL
from dlrepro.features.store import read_features
from dlrepro.io import atomic_output, write_csv, write_json
from dlrepro.models.classifiers import build_classifier, estimator_params
from dlrepro.models.scaling import resolve_scaling
from dlrepro.plots.votes import plot_patch_votes

Model = Any  # anything with scikit-learn's fit(X, y) and predict(X)
UNDECIDED = "Undecided"  # the decision on a tied vote (half the patches say Raphael)


def patch_features(features_path: str | Path, patches_path: str | Path,
                   drawings_path: str | Path) -> tuple[np.ndarray, pd.DataFrame]:
    """Features of every patch, and per patch its id, drawing file, position (y, x) and drawing label.

    The feature table's ids are those of the patch table (``patches.parquet`` of the patch
    dataset); the label comes from the drawings table (file, label), not from class indices.
    """
    features, index = read_features(features_path)
    positions = pd.read_parquet(patches_path, columns=["id", "file", "y", "x"])
    labels = pd.read_csv(drawings_path, usecols=["file", "label"])
    patches = index[["id"]].merge(positions, on="id", how="left", validate="one_to_one")
    if patches["file"].isna().any():
        raise ValueError(f"{features_path}: patch ids missing from {patches_path}; rebuild the features")
    patches = patches.merge(labels, on="file", how="left", validate="many_to_one")
    if patches["label"].isna().any():
        unknown = sorted(patches.loc[patches["label"].isna(), "file"].unique())
        raise ValueError(f"{drawings_path}: no label for drawings {unknown} of {patches_path}")
    return features, patches


def leave_one_drawing_out(files: np.ndarray, labels: np.ndarray) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """(held-out drawing, train mask, vote mask) per fold over patch rows.

    One fold per known drawing, training on the other known drawings' patches; a last fold
    named ``Disputed`` trains on every known patch and votes on the disputed ones.
    """
    known = labels != DISPUTED
    for held in pd.unique(files[known]):
        yield held, known & (files != held), files == held
    if (~known).any():
        yield DISPUTED, known, ~known


def patch_votes(features: np.ndarray, patches: pd.DataFrame, make_model: Callable[[], Model]) -> pd.DataFrame:
    """``patches`` (rows aligned with ``features``; columns file, label) with the held-out ``raphael`` vote.

    Raises ValueError when a fold's training patches do not hold both known classes.
    """
    files, labels = patches["file"].to_numpy(), patches["label"].to_numpy()
    votes = np.zeros(len(patches), dtype=bool)
    for held, train, vote in leave_one_drawing_out(files, labels):
        target = labels[train] == RAPHAEL
        if target.all() or not target.any():
            raise ValueError(f"leaving out {held}: the other known drawings are all one class; "
                             "leave-one-drawing-out needs Raphael and Not Raphael drawings besides it")
        model = make_model()
        model.fit(features[train], target)
        votes[vote] = model.predict(features[vote]).astype(bool)
    return patches.assign(raphael=votes)


def drawing_decisions(votes: pd.DataFrame, drawings: pd.DataFrame) -> pd.DataFrame:
    """Per drawing: patch count, Raphael vote share, decision and confidence.

    The decision is Raphael above half the votes, Not Raphael below and Undecided on a tie (a
    tied known drawing counts as not correct). Confidence is the share of votes for the decision.
    ``correct`` is empty for disputed drawings.
    """
    counts = votes.groupby("file")["raphael"].agg(patches="size", raphael_share="mean")
    table = drawings[["file", "number", "label"]].merge(counts, left_on="file", right_index=True, how="left")
    table["patches"] = table["patches"].fillna(0).astype(int)
    if (table["patches"] == 0).any():
        empty = table.loc[table["patches"] == 0, "file"].tolist()
        raise ValueError(f"drawings {empty} have no patches (all background?): lower min_std or the patch size")
    share = table["raphael_share"]
    table["decision"] = np.select([share > 0.5, share < 0.5], [RAPHAEL, NOT_RAPHAEL], UNDECIDED)
    table["confidence"] = np.maximum(table["raphael_share"], 1 - table["raphael_share"])
    known = table["label"] != DISPUTED
    table["correct"] = pd.array(np.where(known, table["decision"] == table["label"], pd.NA), dtype="boolean")
    return table.reset_index(drop=True)


def authentication_metrics(decisions: pd.DataFrame, votes: pd.DataFrame) -> dict[str, Any]:
    """Drawing accuracy and ROC-AUC (score: Raphael vote share) over the known drawings; patch accuracy.

    ROC-AUC is None when the known drawings hold a single class.
    """
    known = decisions[decisions["label"] != DISPUTED]
    truth = (known["label"] == RAPHAEL).to_numpy()
    auc = float(roc_auc_score(truth, known["raphael_share"])) if 0 < truth.sum() < len(truth) else None
    known_patches = votes[votes["label"] != DISPUTED]
    return {
        "accuracy": float(known["correct"].astype(bool).mean()),
        "roc_auc": auc,
        "patch_accuracy": float((known_patches["raphael"] == (known_patches["label"] == RAPHAEL)).mean()),
        "known_drawings": int(len(known)),
        "raphael_drawings": int(truth.sum()),
        "not_raphael_drawings": int((known["label"] == NOT_RAPHAEL).sum()),
        "disputed_drawings": int((decisions["label"] == DISPUTED).sum()),
        "disputed_numbers": decisions.loc[decisions["label"] == DISPUTED, "number"].astype(int).tolist(),
        "undecided_drawings": int((known["decision"] == UNDECIDED).sum()),
        "patches": int(len(votes)),
    }


def evaluate_drawings(
    features: Path, patches: Path, drawings_table: Path, drawings: Path, name: str, settings: dict[str, Any],
    feature_kind: str, patch_size: int, scale: float, seed: int, threads: int,
    votes: Path, decisions: Path, metrics: Path, figure: Path,
) -> dict[str, Any]:
    """Leave-one-drawing-out votes of one classifier on one patch feature table; write votes,
    decisions, the metrics record (naming its extractor, classifier, decisions file and figure) and the
    vote figure.

    Raises ClassifierConfigError for bad settings (before any data is read), ValueError for bad data.
    """
    build_classifier(settings, feature_kind, seed, threads)
    matrix, table = patch_features(features, patches, drawings_table)
    voted = patch_votes(matrix, table, lambda: build_classifier(settings, feature_kind, seed, threads))
    decided = drawing_decisions(voted, pd.read_csv(drawings_table))
    record = {"extractor": features.stem, "classifier": name, "kind": settings["kind"], "seed": seed,
              "feature_kind": feature_kind, "scaling": resolve_scaling(settings, feature_kind),
              "params": estimator_params(settings),
              "drawings": str(drawings), "decisions": str(decisions), "figure": str(figure),
              **authentication_metrics(decided, voted)}
    with atomic_output(votes) as tmp:
        voted.to_parquet(tmp, index=False)
    write_csv(decided, decisions)
    write_json(record, metrics)
    title = f"S2 patch votes: {name} on {features.stem} features, leave-one-out accuracy {record['accuracy']:.2f}"
    plot_patch_votes(decided, voted, drawings, patch_size, scale, figure, title)
    return record
