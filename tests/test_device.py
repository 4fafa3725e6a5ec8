"""How stages pick a device, and how the workflow learns whether a GPU is here."""

import pytest
import torch

from dlrepro.device import cuda_device_present, resolve_device


def test_auto_picks_cuda_only_when_torch_sees_it():
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    assert resolve_device("cpu") == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="asks for CUDA on a host without one")
def test_cuda_without_a_gpu_is_an_error_not_a_fallback():
    with pytest.raises(ValueError, match="use cpu or auto"):
        resolve_device("cuda")


def test_hidden_devices_count_as_none(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert not cuda_device_present()


def test_device_nodes_agree_with_torch():
    """The plan-time check (no torch import) and torch agree on this host."""
    assert cuda_device_present() == torch.cuda.is_available()
