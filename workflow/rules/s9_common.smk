# S9's config -> file lists and command settings, for the rules in s9.smk.


def s9_part(name):
    """The settings of one S9 part (sketches, sketch_a_net, dream), None when it is switched off."""
    return (config.get("s9") or {}).get(name)


def s9_trains():
    """Sketch-a-Net runs when its sketches and its settings are both on."""
    return s9_part("sketches") is not None and s9_part("sketch_a_net") is not None


def s9_sketch_folder():
    return s9_part("sketches")["folder"]


def s9_sketch_inputs(wildcards):
    """The SVG files of the TU-Berlin folder (or its archive), so an added sketch reruns the set; none for doodles."""
    folder = s9_sketch_folder()
    if folder is None:
        return []
    if is_archive(folder):
        return [folder]
    if not os.path.isdir(folder):
        raise config_error("s9.sketches.folder", f"{folder} is neither a folder nor an archive of TU-Berlin's SVGs")
    return [os.path.join(folder, name) for name in sketch_names(folder)]


def s9_manifest(wildcards):
    """s9.sketches.manifest, else SHA256SUMS in the folder when it has one, else results/s9/sketches.sha256,
    which the first run writes; nothing for the doodles."""
    sketches = s9_part("sketches")
    if sketches["folder"] is None:
        return ""
    if sketches["manifest"]:
        return option("--manifest", sketches["manifest"])
    shipped = os.path.join(sketches["folder"], "SHA256SUMS")
    return option("--manifest", shipped if os.path.isfile(shipped) else "results/s9/sketches.sha256")


def s9_settings(part):
    def document(wildcards):
        return settings_document(s9_part(part))

    return document


def s9_dream_inputs(wildcards):
    """The trained sketch networks and their sketches, when Sketch-a-Net runs (the dreams use them)."""
    if not s9_trains():
        return {}
    return {"run": "results/s9/sketch_a_net/run.json", "sketches": "results/s9/sketches.npz"}


def s9_dream_options(wildcards, input):
    if "run" not in input.keys():
        return ""
    return f"--sketch-run {os.path.dirname(input.run)} --sketches {input.sketches}"


def s9_summary_inputs():
    inputs = {}
    if s9_trains():
        inputs |= {"run": "results/s9/sketch_a_net/run.json", "sketches": "results/s9/sketches.npz"}
    if s9_part("dream") is not None:
        inputs["dreams"] = "results/s9/dream/dream.json"
    return inputs


def s9_summary_options(wildcards, input):
    options = (
        []
        if "run" not in input.keys()
        else [f"--sketch-run {os.path.dirname(input.run)}", f"--sketches {input.sketches}"]
    )
    if "dreams" in input.keys():
        options.append(f"--dreams {os.path.dirname(input.dreams)}")
    return " ".join(options)


def check_s9():
    """A sketch network dreaming needs the trained Sketch-a-Net; its weights and images must exist."""
    dream = s9_part("dream")
    if dream is None:
        return
    if dream["network"] == "sketch" and not s9_trains():
        raise config_error(
            "s9.dream.network",
            "sketch dreams with the Sketch-a-Net trained here; switch on "
            "s9.sketches and s9.sketch_a_net, or name a torchvision network",
        )
    if dream["network"] != "sketch":
        check_weights("s9.dream.weights", dream["weights"])
    for key in ("image", "guide"):
        if dream[key] and not os.path.isfile(dream[key]):
            raise config_error(f"s9.dream.{key}", f"{dream[key]} is not a file")


def s9_sketch_figures():
    """The Sketch-a-Net figures of the summary, when it trains."""
    names = ["sketches.png", "accuracy.png", "confusion.png"] if s9_trains() else []
    return [f"results/figures/s9/{name}" for name in names]


def s9_dream_figures():
    """The dream figures of the summary, when it dreams: class dreams of each kind only when asked for."""
    dream = s9_part("dream")
    if dream is None:
        return []
    names = ["sketch_dreams.png"] if s9_trains() and dream["sketch_classes"] else []
    names += ["layer_steps.png", "objective.png", "octaves.png", "guided.png"]
    names += ["class_dreams.png"] if dream["classes"] else []
    return [f"results/figures/s9/{name}" for name in names]
