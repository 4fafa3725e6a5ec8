"""Embed a feature table in 2-D so classes can be looked at.

MDS and t-SNE cost O(n^2) memory and time, so a seeded, class-stratified subset of at most
``max_points`` rows is embedded. Features are standardised first so no single large-valued
dimension dominates the distances.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sklearn.decomposition import PCA
from sklearn.manifold import MDS, TSNE, Isomap
from sklearn.preprocessing import StandardScaler

from dlrepro.data.dataset import load_dataset
from dlrepro.features.store import read_features
from dlrepro.io import atomic_output
from dlrepro.plots.embedding import plot_embedding

METHODS = ("pca", "mds", "isomap", "tsne")
METHOD_NAMES = {"pca": "PCA", "mds": "MDS", "isomap": "Isomap", "tsne": "t-SNE"}


def stratified_subset(labels: np.ndarray, max_points: int, seed: int) -> np.ndarray:
    """Sorted indices of at most ``max_points`` rows, each class kept in proportion to its size.

    Every row gets its rank within its class (in a seeded random order) as a fraction of the
    class size; taking the rows with the smallest fractions fills the classes proportionally.
    """
    labels = np.asarray(labels)
    if max_points < 1:
        raise ValueError(f"max_points must be at least 1, got {max_points}")
    if len(labels) <= max_points:
        return np.arange(len(labels))
    order = np.random.default_rng(seed).permutation(len(labels))
    fraction = np.empty(len(labels))
    for label in np.unique(labels):
        rows = order[labels[order] == label]
        fraction[rows] = (np.arange(len(rows)) + 0.5) / len(rows)
    keep = order[np.argsort(fraction[order], kind="stable")[:max_points]]
    return np.sort(keep)


def embedding_estimator(method: str, n_points: int, seed: int):
    """The scikit-learn estimator for ``method``, with settings that stay valid for small subsets."""
    if method == "pca":
        return PCA(n_components=2, svd_solver="full")
    if method == "mds":
        return MDS(n_components=2, init="classical_mds", random_state=seed)
    if method == "isomap":
        # dense eigensolver: ARPACK starts from an unseeded random vector
        return Isomap(n_components=2, n_neighbors=min(10, n_points - 1), eigen_solver="dense")
    if method == "tsne":
        return TSNE(n_components=2, perplexity=min(30.0, (n_points - 1) / 3), init="pca", random_state=seed)
    raise ValueError(f"unknown embedding method {method!r}; expected one of {', '.join(METHODS)}")


def embed_2d(features: np.ndarray, method: str, seed: int) -> np.ndarray:
    """N x 2 coordinates of the standardised ``features``."""
    if len(features) < 4:
        raise ValueError(f"need at least 4 rows to embed, got {len(features)}")
    scaled = StandardScaler().fit_transform(features.astype(np.float64))
    return embedding_estimator(method, len(features), seed).fit_transform(scaled)


def embed_features(path: str | Path, method: str, max_points: int, seed: int) -> pd.DataFrame:
    """Embedding of a seeded subset of the feature table: columns id, split, label, x, y."""
    features, index = read_features(path)
    rows = stratified_subset(index["label"].to_numpy(), max_points, seed)
    coords = embed_2d(features[rows], method, seed)
    frame = index.iloc[rows][["id", "split", "label"]].reset_index(drop=True)
    frame["x"], frame["y"] = coords[:, 0], coords[:, 1]
    return frame


EMBEDDING_KEYS = b"dlrepro_embedding"  # Parquet metadata key of what an embedding file is of


def embed_and_plot(features: Path, method: str, max_points: int, seed: int, dataset_dir: Path | None,
                   out: Path, figure: Path) -> pd.DataFrame:
    """Embed a seeded subset of ``features``; write it (with its keys, see read_embedding_keys) and its scatter plot.

    Raises ValueError for an unknown method or too few rows.
    """
    classes = load_dataset(dataset_dir).classes if dataset_dir else None
    embedding = embed_features(features, method, max_points, seed)
    dataset = dataset_dir.name if dataset_dir else None
    keys = {"dataset": dataset, "extractor": features.stem, "method": method, "max_points": max_points,
            "points": len(embedding), "figure": str(figure)}
    table = pa.Table.from_pandas(embedding, preserve_index=False)
    table = table.replace_schema_metadata(table.schema.metadata | {EMBEDDING_KEYS: json.dumps(keys)})
    with atomic_output(out) as tmp:
        pq.write_table(table, tmp)
    source = f"{dataset}, " if dataset else ""
    title = f"{METHOD_NAMES[method]} of {features.stem} features ({source}{len(embedding)} points)"
    plot_embedding(embedding, figure, title, classes)
    return embedding


def read_embedding_keys(path: str | Path) -> dict[str, Any]:
    """What an embedding file is of: dataset, extractor, method, max_points, points and its figure."""
    metadata = pq.read_schema(path).metadata or {}
    if EMBEDDING_KEYS not in metadata:
        raise ValueError(f"{path}: not an embedding written by `dlrepro embed` (no {EMBEDDING_KEYS.decode()} metadata)")
    return json.loads(metadata[EMBEDDING_KEYS])
