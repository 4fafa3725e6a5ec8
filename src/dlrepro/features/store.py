"""Feature tables on disk: Parquet with ``id``, ``split``, ``label``, ``group`` and ``features``.

``features`` is a fixed-size list of float32, so a table maps straight onto an N x D matrix.
Tables are written one row group per batch while extracting, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dlrepro.io import InputError, atomic_output, read_parquet_table, require_columns

INDEX_COLUMNS = ("id", "split", "label", "group")
# Dictionary encoding and min/max statistics of the float features cost 4x the write time (a
# batch of 64 scattering rows: 235 ms with them, 52 ms without) and buy little: nothing filters on
# feature values, and distinct floats fall back from the dictionary anyway. Pixel tables (256
# distinct values) come out about twice as large on disk without it.
FEATURE_WRITE_OPTIONS = {"use_dictionary": list(INDEX_COLUMNS), "write_statistics": list(INDEX_COLUMNS)}


def feature_schema(dim: int) -> pa.Schema:
    return pa.schema(
        [
            ("id", pa.int64()),
            ("split", pa.string()),
            ("label", pa.int64()),
            ("group", pa.int64()),
            ("features", pa.list_(pa.float32(), dim)),
        ]
    )


def batch_table(index: pd.DataFrame, features: np.ndarray) -> pa.Table:
    """One row group: the index rows of a batch and their feature matrix."""
    features = np.ascontiguousarray(features, dtype=np.float32)
    dim = features.shape[1]
    columns = [pa.array(index[c].to_numpy()) for c in INDEX_COLUMNS]
    columns.append(pa.FixedSizeListArray.from_arrays(pa.array(features.ravel()), dim))
    return pa.Table.from_arrays(columns, schema=feature_schema(dim))


def write_features(path: str | Path, batches: Iterable[tuple[pd.DataFrame, np.ndarray]]) -> int:
    """Stream (index rows, features) batches into ``path`` atomically; returns the row count.

    Each batch is written by a second thread while the next one is computed (Arrow's Parquet writer
    releases the GIL), so a fast extractor does not wait for the write; at most one write is in
    flight, so memory stays bounded by two batches.
    """
    rows = 0
    with atomic_output(path) as tmp, ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet") as thread:
        writer, writing = None, None
        try:
            for index, features in batches:
                table = batch_table(index, features)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema, **FEATURE_WRITE_OPTIONS)
                if writing is not None:
                    writing.result()
                writing = thread.submit(writer.write_table, table)
                rows += table.num_rows
            if writing is not None:
                writing.result()
        finally:
            if writer is not None:
                wait([writing])  # a failed batch: the write in flight ends before the file closes
                writer.close()
        if writer is None:
            raise ValueError(f"{path}: no batches to write")
    return rows


def read_features(path: str | Path, split: str | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """The N x D float32 matrix and the index rows, optionally of one split only."""
    filters = [("split", "=", split)] if split else None
    table = read_parquet_table(path, filters=filters)
    require_columns(path, table.column_names, (*INDEX_COLUMNS, "features"))
    column = table.column("features").combine_chunks()
    if not pa.types.is_fixed_size_list(column.type):
        raise InputError(f"{path}: features are {column.type}, not fixed-size float vectors; "
                         "rebuild it with `dlrepro features extract`")
    dim = column.type.list_size
    matrix = column.flatten().to_numpy(zero_copy_only=False).reshape(-1, dim)
    return matrix, table.select(list(INDEX_COLUMNS)).to_pandas()
