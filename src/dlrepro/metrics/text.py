"""Corpus BLEU-1..4 of generated captions against every reference caption of their image.

BLEU-n here is torchmetrics' corpus BLEU with n-grams up to n, uniform weights and the brevity
penalty, unsmoothed: the cumulative BLEU-n that Xu et al. 2015 and Vinyals et al. 2015 report.
"""

from __future__ import annotations

from collections.abc import Sequence

from torchmetrics.text import BLEUScore


def bleu_scores(candidates: Sequence[str], references: Sequence[Sequence[str]]) -> dict[str, float]:
    """{"bleu1": ..., "bleu4": ...} (fractions) of whitespace-tokenised ``candidates`` against their
    ``references`` (one list of reference captions per candidate)."""
    if len(candidates) != len(references) or len(candidates) == 0:
        raise ValueError(f"{len(candidates)} candidates for {len(references)} reference lists; "
                         "need one list per candidate and at least one candidate")
    return {f"bleu{n}": float(BLEUScore(n_gram=n)(list(candidates), [list(refs) for refs in references]))
            for n in range(1, 5)}
