"""Tests of nnlib.nn.Module's bookkeeping against torch.nn.Module: named_modules (memo,
prefix, remove_duplicate), named_parameters/buffers, apply, register_buffer (persistent,
checks), buffer assignment, state_dict (prefix, keep_vars, shared modules), load_state_dict's
result, get_submodule."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import nnlib
from nnlib import nn


class Block(nn.Module):
    def __init__(self, lib, shared):
        super().__init__()
        self.fc = lib.Linear(3, 3)
        self.shared = shared
        self.norm = lib.BatchNorm1d(3)


def build(lib):
    """The same architecture in nnlib (lib=nn) and torch (lib=torch.nn): a shared layer."""
    shared = lib.Linear(3, 3)
    outer = lib.Sequential(lib.Linear(3, 3), lib.Identity(), lib.Sequential(lib.ReLU()))
    outer.add_module("block", TorchBlock(shared) if lib is torch.nn else Block(nn, shared))
    outer.add_module("again", shared)
    outer.add_module("absent", None)
    return outer


class TorchBlock(torch.nn.Module):
    def __init__(self, shared):
        super().__init__()
        self.fc = torch.nn.Linear(3, 3)
        self.shared = shared
        self.norm = torch.nn.BatchNorm1d(3)


def names(pairs):
    return [name for name, _ in pairs]


@pytest.mark.parametrize("remove_duplicate", [True, False])
@pytest.mark.parametrize("prefix", ["", "net"])
def test_named_modules_match_torch(remove_duplicate, prefix):
    ours, theirs = build(nn), build(torch.nn)
    a = list(ours.named_modules(prefix=prefix, remove_duplicate=remove_duplicate))
    b = list(theirs.named_modules(prefix=prefix, remove_duplicate=remove_duplicate))
    assert names(a) == names(b)
    assert [type(m).__name__ for _, m in a] == [
        type(m).__name__.replace("TorchBlock", "Block") for _, m in b
    ]
    memo: set = set()
    assert names(ours.named_modules(memo)) == names(theirs.named_modules(set()))
    assert ours in memo and ours[0] in memo


@pytest.mark.parametrize("recurse", [True, False])
@pytest.mark.parametrize("remove_duplicate", [True, False])
def test_named_parameters_and_buffers_match_torch(recurse, remove_duplicate):
    ours, theirs = build(nn), build(torch.nn)
    for method in ("named_parameters", "named_buffers"):
        a = getattr(ours, method)(prefix="p", recurse=recurse, remove_duplicate=remove_duplicate)
        b = getattr(theirs, method)(prefix="p", recurse=recurse, remove_duplicate=remove_duplicate)
        assert names(a) == names(b), method
    assert len(list(ours.buffers(recurse=False))) == len(list(theirs.buffers(recurse=False)))
    assert len(list(ours.buffers())) == len(list(theirs.buffers()))


def test_apply_visits_children_first_and_shared_modules_once_like_torch():
    seen_ours, seen_theirs = [], []
    assert build(nn).apply(lambda m: seen_ours.append(type(m).__name__)) is not None
    build(torch.nn).apply(lambda m: seen_theirs.append(type(m).__name__))
    assert seen_ours == [n.replace("TorchBlock", "Block") for n in seen_theirs]
    net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    assert net.apply(lambda m: None) is net


def test_state_dict_keys_match_torch_including_shared_modules():
    ours, theirs = build(nn), build(torch.nn)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours.state_dict(prefix="model.")) == list(theirs.state_dict(prefix="model."))
    kept = ours.state_dict(keep_vars=True)
    assert kept["block.fc.weight"] is ours.block.fc.weight
    assert kept["again.weight"] is kept["block.shared.weight"]
    copied = ours.state_dict()
    copied["0.weight"][...] = 123.0  # a copy: the model is untouched
    assert not (ours[0].weight.data == 123.0).any()
    destination = {"extra": 1}
    assert ours.state_dict(destination=destination) is destination
    assert "extra" in destination and "0.bias" in destination


def test_load_state_dict_returns_the_incompatible_keys_like_torch():
    ours, theirs = build(nn), build(torch.nn)
    state = ours.state_dict()
    result = ours.load_state_dict(state)
    assert repr(result) == repr(theirs.load_state_dict(theirs.state_dict()))
    assert result.missing_keys == [] and result.unexpected_keys == []
    del state["0.bias"]
    state["stray"] = np.zeros(1)
    t_state = {k: torch.tensor(v) for k, v in state.items()}
    ours_keys = ours.load_state_dict(state, strict=False)
    theirs_keys = theirs.load_state_dict(t_state, strict=False)
    assert ours_keys.missing_keys == theirs_keys.missing_keys == ["0.bias"]
    assert ours_keys.unexpected_keys == theirs_keys.unexpected_keys == ["stray"]
    with pytest.raises(KeyError, match=r"missing \['0.bias'\](.|\n)*help: "):
        ours.load_state_dict(state)


def test_non_persistent_buffers_are_not_saved_like_torch():
    ours, theirs = nn.Module(), torch.nn.Module()
    for m, lib in ((ours, nnlib), (theirs, torch)):
        m.register_buffer("kept", lib.zeros(2))
        m.register_buffer("scratch", lib.ones(2), persistent=False)
        m.register_buffer("absent", None)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["kept"]
    assert names(ours.named_buffers()) == names(theirs.named_buffers()) == ["kept", "scratch"]
    ours.register_buffer("scratch", nnlib.ones(2))  # registering again makes it persistent
    theirs.register_buffer("scratch", torch.ones(2))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours.load_state_dict({"kept": np.ones(2), "scratch": np.zeros(2)}).missing_keys == []


def test_assigning_to_a_buffer_keeps_it_a_buffer_like_torch():
    bn = nn.BatchNorm1d(3)
    bn.running_mean = nnlib.ones(3)
    assert "running_mean" in dict(bn.named_buffers())
    np.testing.assert_array_equal(bn.state_dict()["running_mean"], np.ones(3))
    bn.running_var = None
    assert "running_var" not in bn.state_dict()
    with pytest.raises(
        TypeError, match=r"cannot assign 'int' as buffer 'running_mean'(.|\n)*help"
    ):
        bn.running_mean = 3
    with pytest.raises(TypeError):
        torch.nn.BatchNorm1d(3).running_mean = 3


@pytest.mark.parametrize(
    ("args", "exc"),
    [
        ((1, "t"), TypeError),
        (("a.b", "t"), KeyError),
        (("", "t"), KeyError),
        (("x", 3), TypeError),
        (("weight", "t"), KeyError),
    ],
    ids=["int-name", "dotted", "empty", "not-a-tensor", "taken"],
)
def test_register_buffer_refuses_what_torch_refuses(args, exc):
    name, value = args
    ours, theirs = nn.Linear(2, 2), torch.nn.Linear(2, 2)
    with pytest.raises(exc) as t_err:
        theirs.register_buffer(name, torch.zeros(1) if value == "t" else value)
    with pytest.raises(exc) as n_err:
        ours.register_buffer(name, nnlib.zeros(1) if value == "t" else value)
    first, hint = n_err.value.args[0].split("\nhelp: ")
    assert first == t_err.value.args[0].replace("torch Tensor", "Tensor")  # nnlib's Tensor
    assert hint
    assert list(ours.state_dict()) == ["weight", "bias"]  # nothing registered


def test_get_submodule_matches_torch():
    ours, theirs = build(nn), build(torch.nn)
    for target in ("", "0", "2.0", "block.norm", "block.shared"):
        assert type(ours.get_submodule(target)).__name__ == type(
            theirs.get_submodule(target)
        ).__name__.replace("TorchBlock", "Block")
    with pytest.raises(AttributeError, match=r"has no attribute `nope`(.|\n)*help: "):
        ours.get_submodule("block.nope")
    with pytest.raises(AttributeError):
        theirs.get_submodule("block.nope")
