"""Seconds per dream iteration and peak memory on the CPU: VGG-16 (random weights: the cost does not
depend on them) up to a mid layer, on the sample photo cropped square, whole or tile by tile.

Not a test: a script that prints numbers. Each configuration runs in a fresh process, so its peak
resident memory (ru_maxrss) is its own.

    python tests/benchmarks/bench_dream.py                       # 224 px whole, 1000 px in 512 px tiles
    python tests/benchmarks/bench_dream.py --configs 2000:512 --steps 1 --threads 2 --out /tmp/dreams
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import torch


def square_photo(side: int) -> torch.Tensor:
    from dlrepro.visualise.dream import load_image, sample_photo

    photo = load_image(sample_photo(), size=side)
    top = (photo.shape[-2] - side) // 2
    left = (photo.shape[-1] - side) // 2
    return photo[:, top:top + side, left:left + side].contiguous()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(side: int, tile: int, steps: int, layer: str, threads: int, out: Path | None) -> dict:
    """One configuration in this process: a warm-up step, then ``steps`` timed steps."""
    from dlrepro.models.torchvision_nets import imagenet_input, load_cnn
    from dlrepro.visualise.dream import DreamSettings, dream, layer_objective

    torch.set_num_threads(threads)
    model = load_cnn("vgg16", "random", seed=0)
    image = square_photo(side)
    rss_model = peak_rss_mb()
    objective = layer_objective(model, layer)
    settings = DreamSettings(steps=1, step_size=0.01, tile=tile)
    generator = torch.Generator().manual_seed(0)
    dream(model, image, objective, settings, preprocess=imagenet_input, generator=generator)
    start, cpu_start = time.perf_counter(), time.process_time()
    result = dream(model, image, objective, DreamSettings(steps=steps, step_size=0.01, tile=tile),
                   preprocess=imagenet_input, generator=generator)
    seconds = (time.perf_counter() - start) / steps
    cpu_seconds = (time.process_time() - cpu_start) / steps  # wall time on a busy machine overstates the cost
    if out is not None:
        from dlrepro.plots.dream import image_row

        image_row({"photo": image, f"{steps + 1} steps": result.image}, out / f"dream_{side}_tile{tile}.png",
                  f"VGG-16 (random weights) {layer}, {side} px, tile {tile or 'none'}")
    return {"side": side, "tile": tile, "layer": layer, "threads": threads, "steps": steps,
            "seconds_per_step": round(seconds, 2),
            "cpu_seconds_per_step": round(cpu_seconds, 2), "rss_after_model_mb": round(rss_model),
            "peak_rss_mb": round(peak_rss_mb()), "objective": [round(v) for v in result.objective]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="224:0,1000:512", help="side:tile pairs (tile 0: whole image)")
    parser.add_argument("--steps", type=int, default=2, help="timed steps per configuration (after one warm-up)")
    parser.add_argument("--layer", default="features.22", help="VGG-16 module whose L2 norm is dreamed (relu4_3)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder for a before/after PNG of each configuration")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # side:tile, run in this process (the child)
    args = parser.parse_args()
    if args.one:
        side, tile = map(int, args.one.split(":"))
        print(json.dumps(measure(side, tile, args.steps, args.layer, args.threads, args.out)))
        return
    print(f"torch {torch.__version__}, {args.threads} thread(s)")
    for config in args.configs.split(","):
        command = [sys.executable, __file__, "--one", config, "--steps", str(args.steps), "--layer", args.layer,
                   "--threads", str(args.threads)] + (["--out", str(args.out)] if args.out else [])
        child = subprocess.run(command, capture_output=True, text=True)
        print(child.stdout.strip() or f"{config}: failed\n{child.stderr}", flush=True)


if __name__ == "__main__":
    main()
