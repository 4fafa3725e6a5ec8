"""S13, image captioning: a vocabulary from the training captions, a CNN encoder and an LSTM decoder
(soft attention optional) trained by teacher forcing through the shared engine, then every test image
captioned by greedy and by beam-search decoding and scored by corpus BLEU-1..4 against all its
reference captions."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch.utils.data import Dataset

from dlrepro.data.captions import END, PAD, START, Vocabulary, load_caption_dataset, tokenise
from dlrepro.device import resolve_device
from dlrepro.io import InputError, atomic_output, write_json
from dlrepro.metrics.text import bleu_scores
from dlrepro.models.captioning import (
    Captioner, Precomputed, beam_search, build_captioner, build_encoder, greedy_decode, teacher_forcing_loss,
)
from dlrepro.models.mlp import count_parameters
from dlrepro.train.engine import TrainConfig, batches, train

ENCODE_BATCH = 64


class CaptionPairs(Dataset):
    """(input of the caption's image, caption tokens) pairs: every caption is one training example."""

    def __init__(self, inputs: torch.Tensor, image_of: np.ndarray, tokens: torch.Tensor):
        self.inputs, self.image_of, self.tokens = inputs, torch.as_tensor(image_of), tokens

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.inputs[self.image_of[i]], self.tokens[i]


@torch.no_grad()
def teacher_forced_scores(model: Captioner, dataset: Dataset, batch_size: int) -> dict[str, float]:
    """Mean cross-entropy per word and next-word error rate, each word predicted from the true previous ones."""
    model.eval()
    device = next(model.parameters()).device
    loss, errors, words = 0.0, 0, 0
    for inputs, tokens in batches(dataset, batch_size):
        inputs, tokens = inputs.to(device), tokens.to(device)
        logits, _ = model(inputs, tokens[:, :-1])
        targets = tokens[:, 1:]
        mask = targets != PAD
        loss += torch.nn.functional.cross_entropy(logits.float()[mask], targets[mask], reduction="sum").item()
        errors += int((logits.argmax(dim=-1)[mask] != targets[mask]).sum())
        words += int(mask.sum())
    return {"loss": loss / words, "error": errors / words}


@torch.no_grad()
def encode_images(encoder: torch.nn.Module, images: np.ndarray, device: torch.device) -> torch.Tensor:
    """Feature grids of a frozen encoder (float16 on the CPU: Flickr8K's grids fit in memory), computed once."""
    encoder.eval().to(device)
    grids = [encoder(torch.from_numpy(np.array(images[i : i + ENCODE_BATCH])).to(device)).half().cpu()
             for i in range(0, len(images), ENCODE_BATCH)]
    return torch.cat(grids)


def caption_images(model: Captioner, inputs: torch.Tensor, vocabulary: Vocabulary, decode: dict,
                   batch_size: int) -> tuple[dict[str, list[str]], np.ndarray]:
    """Greedy and beam-search captions of every input, as text; and the attention weights of each
    beam-search word (images x max_length x places, NaN after the caption's last word)."""
    device = next(model.parameters()).device
    greedy = []
    for i in range(0, len(inputs), batch_size):
        greedy += greedy_decode(model, inputs[i : i + batch_size].to(device), START, END, decode["max_length"])
    with torch.no_grad():
        places = model.encoder(inputs[:1].to(device)).shape[1]
    beam, attention = [], np.full((len(inputs), decode["max_length"], places), np.nan, dtype=np.float16)
    for k, image in enumerate(inputs):
        ids, alphas = beam_search(model, image.to(device), START, END, decode["max_length"], decode["beam_size"])
        beam.append(ids)
        if alphas:
            attention[k, : len(alphas)] = torch.stack(alphas).numpy()
    captions = {name: [" ".join(vocabulary.decode(ids)) for ids in found]
                for name, found in (("greedy", greedy), ("beam", beam))}
    return captions, attention


def train_captioner(dataset_dir: str | Path, settings: dict, seed: int, out_dir: str | Path) -> dict:
    """Train the captioner of s13.captioner on the dataset's train split (val: early stopping when
    ``patience`` is set), caption its test images; writes metrics.parquet, vocabulary.json,
    model.pt (with a frozen encoder: the decoder's weights; the encoder is the one run.json names),
    predictions.parquet, attention.npy (beam search's weights per word, in predictions' order) and
    run.json to ``out_dir``, returns run.json's record."""
    started = time.process_time()
    out_dir = Path(out_dir)
    data = load_caption_dataset(dataset_dir)
    table = data.captions
    words = [tokenise(caption) for caption in table["caption"]]
    if not (table["split"] == "train").any() or not (table["split"] == "test").any():
        raise InputError(f"{dataset_dir}: captions of train and test images needed; rebuild it with "
                         "`dlrepro captions dataset`")
    limit = settings["vocabulary"]["max_length"]
    vocabulary = Vocabulary.build((w for w, split in zip(words, table["split"]) if split == "train"),
                                  settings["vocabulary"]["min_count"])
    tokens = torch.tensor([vocabulary.encode(w, limit) for w in words], dtype=torch.long)

    device = resolve_device(None)
    model_settings = settings["model"]
    torch.manual_seed(seed)
    encoder = build_encoder(model_settings, seed)
    if model_settings["fine_tune"]:
        inputs = torch.from_numpy(np.array(data.images))  # a writable copy of the memory map
    else:
        inputs, encoder = encode_images(encoder, data.images, device), Precomputed(encoder.features)
    model = build_captioner(model_settings, len(vocabulary), encoder)
    image_of = table["image"].to_numpy()
    splits = {split: CaptionPairs(inputs, image_of[rows], tokens[rows])
              for split in ("train", "val", "test") if (rows := np.flatnonzero(table["split"] == split)).size}
    config = TrainConfig(**settings["train"], seed=seed, progress=False)
    objective = partial(teacher_forcing_loss, attention_regularisation=model_settings["attention_regularisation"])
    result = train(model, splits, config, out_dir / "metrics.parquet", objective=objective,
                   evaluation=partial(teacher_forced_scores, batch_size=config.eval_batch_size))

    test = table[table["split"] == "test"]
    images = test.drop_duplicates("image").sort_values("image")
    references = [[" ".join(tokenise(c)) for c in group["caption"]] for _, group in test.groupby("image", sort=True)]
    generated, attention = caption_images(model, inputs[torch.tensor(images["image"].to_numpy())], vocabulary,
                                          settings["decode"], config.eval_batch_size)
    with atomic_output(out_dir / "attention.npy") as tmp:
        with tmp.open("wb") as handle:
            np.save(handle, attention)
    predictions = pd.DataFrame({"image": images["image"].to_numpy(), "file": images["file"].to_numpy(),
                                **generated, "references": references})
    with atomic_output(out_dir / "predictions.parquet") as tmp:
        predictions.to_parquet(tmp, index=False)
    write_json({"words": list(vocabulary.words), "min_count": settings["vocabulary"]["min_count"]},
               out_dir / "vocabulary.json")
    with atomic_output(out_dir / "model.pt") as tmp:
        torch.save(model.state_dict(), tmp)
    last = result.metrics.iloc[-1]
    counts = table.drop_duplicates("image")["split"].value_counts()
    run = {"dataset": data.info["dataset"], "standin": data.info["standin"], "size": data.info["size"],
           **{f"n_{split}": int(counts.get(split, 0)) for split in ("train", "val", "test")},
           "train_captions": len(splits["train"]), "vocabulary": len(vocabulary),
           "model": "soft-attention" if model_settings["attention"] else "show-and-tell",
           "encoder": model_settings["encoder"], "weights": model_settings["weights"],
           "fine_tune": model_settings["fine_tune"], "parameters": count_parameters(model),
           "epochs": int(last["epoch"]), "stop_reason": result.stop_reason,
           "test_loss": float(last["test_loss"]), "test_word_error": float(last["test_error"]),
           "beam_size": settings["decode"]["beam_size"],
           "greedy": bleu_scores(predictions["greedy"], references),
           "beam": bleu_scores(predictions["beam"], references),
           "cpu_seconds": round(time.process_time() - started, 2)}
    write_json(run, out_dir / "run.json")
    return run
