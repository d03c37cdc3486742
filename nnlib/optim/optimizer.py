"""The :class:`Optimizer` base class: parameter groups, per-parameter state, checkpoints.

Every optimizer in :mod:`nnlib.optim` subclasses :class:`Optimizer` and only writes
``__init__`` (check and collect the hyper-parameters) and ``step`` (the update rule). The
bookkeeping (parameter groups, ``state``, ``zero_grad``, ``state_dict``) lives here and
behaves as PyTorch's ``torch.optim.Optimizer`` does.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

import numpy as np

from nnlib._tensor import Tensor

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]]


def _invalid(message: str, hint: str) -> NoReturn:
    """Raise ``ValueError`` with PyTorch's wording on the first line and a ``help:`` hint."""
    raise ValueError(f"{message}\nhelp: {hint}")


def _check_numbers(where: str, **values: Any) -> None:
    """Refuse a hyper-parameter that is not a number (``lr="1e-3"``) before comparing it."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    for name, value in values.items():
        if isinstance(value, (bool, str)) or not isinstance(value, (int, float, np.number)):
            example = "1e-3" if name == "lr" else "0.9"
            hint = (
                f"pass a number, not a string: {name}={value}"
                if isinstance(value, str)
                else f"pass a plain number, e.g. {name}={example}"
            )
            raise TypeError(
                f"{where}: expected {name} to be a number, got {type(value).__name__} "
                f"{value!r}.\nhelp: {hint}."
            )


def _check_hyper(ok: bool, message: str, hint: str) -> None:
    """Refuse a hyper-parameter when ``ok`` is false (a NaN fails every comparison too)."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if not ok:
        _invalid(message, hint)


# PyTorch's message for a negative hyper-parameter, and our hint.
_NON_NEGATIVE = {
    "lr": ("Invalid learning rate", "pass lr >= 0, e.g. lr=1e-3."),
    "eps": ("Invalid epsilon value", "pass eps >= 0, e.g. eps=1e-8."),
    "momentum": (
        "Invalid momentum value",
        "pass momentum >= 0; 0.9 is the usual choice, 0 turns momentum off.",
    ),
    "weight_decay": (
        "Invalid weight_decay value",
        "pass weight_decay >= 0, e.g. 1e-4; 0 turns it off.",
    ),
    "alpha": ("Invalid alpha value", "pass a smoothing constant alpha in [0, 1), e.g. 0.99."),
}


def _check_non_negative(where: str, **values: Any) -> None:
    """Refuse a hyper-parameter that is not a number, then one that is negative (or NaN)."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    _check_numbers(where, **values)
    for name, value in values.items():
        message, hint = _NON_NEGATIVE[name]
        _check_hyper(value >= 0.0, f"{message}: {value}", hint)


class Optimizer:
    r"""Base class of all optimizers: holds parameter groups and per-parameter state.

    Parameters are organised in *groups*, dicts with a ``'params'`` list and one value per
    hyper-parameter, so that, for instance, a network's last layer can learn with a larger
    learning rate than the rest. Options a group does not set come from ``defaults``.

    Args:
        params: An iterable of parameters, or of dicts that each define a parameter group
            (``{'params': [...], 'lr': 0.1}``).
        defaults: The default value of every hyper-parameter, used by groups that omit it.

    Attributes:
        param_groups: The list of parameter groups (dicts), in the order they were added.
        state: A dict from parameter to that parameter's state (e.g. Adam's running
            averages); empty until the first :meth:`step` that updates the parameter.
        defaults: The ``defaults`` passed in.

    Example:
        >>> import numpy as np
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import SGD
        >>> w, b = Parameter(np.ones(2)), Parameter(np.zeros(1))
        >>> opt = SGD([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1)
        >>> [group["lr"] for group in opt.param_groups]
        [0.1, 0.5]

    Taught in chapter 5 (optimizers).
    """

    # Set by an lr scheduler's wrapper of step() (nnlib.optim.lr_scheduler), as in PyTorch.
    _opt_called: bool

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        where = type(self).__name__
        if callable(params) and getattr(params, "__name__", "") in (
            "parameters",
            "named_parameters",
        ):
            raise TypeError(
                f"{where}: expected an iterable of parameters, got the method "
                f"{params.__name__} itself (not called).\nhelp: call it: "
                f"{where}(model.parameters(), ...) — note the ()."
            )
        if hasattr(params, "parameters") and hasattr(params, "forward"):
            raise TypeError(
                f"{where}: expected an iterable of parameters, got the model "
                f"({type(params).__name__}) itself.\nhelp: pass its parameters: "
                f"{where}(model.parameters(), ...)."
            )
        if isinstance(params, (Tensor, np.ndarray)):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__}\n"
                "help: wrap a single parameter in a list, e.g. SGD([w], lr=0.1), or pass "
                "model.parameters()."
            )
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []

        param_groups: list[Any] = list(params)  # tensors or dicts: add_param_group checks
        if len(param_groups) == 0:
            _invalid(
                "optimizer got an empty parameter list",
                "pass the parameters to train, e.g. SGD(model.parameters(), lr=0.1); a "
                "generator such as model.parameters() is used up after one pass.",
            )
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters, e.g. a layer unfrozen half-way through training.

        Args:
            param_group: A dict with a ``'params'`` entry (a parameter or an iterable of
                them) and optionally per-group hyper-parameters; the optimizer's
                defaults fill in the rest.

        Raises:
            TypeError: if ``param_group`` is not a dict, its params are given as a set, or
                one of them is not a tensor.
            ValueError: if a parameter already belongs to another group.
        """
        if not isinstance(param_group, dict):
            raise TypeError(
                f"param_group must be a dict, but got {type(param_group).__name__}\n"
                "help: pass {'params': [...], 'lr': ...}."
            )
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list "
                "instead.\nhelp: pass list(params)."
            )
        else:
            param_group["params"] = list(params)

        for param in param_group["params"]:
            if isinstance(param, Tensor) and not param.is_leaf:
                raise ValueError(
                    f"can't optimize a non-leaf Tensor (shape {param.data.shape}, made by "
                    f"{param.grad_fn}): it is recomputed from others, so its gradient is "
                    "never stored and a step could not move it.\nhelp: create the parameter "
                    "as a leaf and scale it in place, e.g. w = (nnlib.randn(4, 1) * 0.01)"
                    ".requires_grad_(), or use nn.Parameter(...)."
                )
            if not isinstance(param, Tensor):
                hint = (
                    "pass the model's parameters, not the model: model.parameters() (for "
                    "several models, [*net1.parameters(), *net2.parameters()])."
                    if hasattr(param, "parameters")
                    else "wrap arrays as nnlib.nn.Parameter(array) so that they carry a .grad."
                )
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    f"{type(param).__module__}.{type(param).__name__}\nhelp: {hint}"
                )
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)

        ids = [id(p) for p in param_group["params"]]
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        if len(ids) != len(set(ids)) or not seen.isdisjoint(ids):
            _invalid(
                "some parameters appear in more than one parameter group",
                "list every parameter once; a parameter updated twice per step would move "
                "twice as far.",
            )
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of every parameter, ready for the next backward pass.

        Gradients accumulate across backward passes, so a training loop calls this once per
        step, before ``loss.backward()``.

        Args:
            set_to_none: If true (the default), set each ``.grad`` to ``None``; otherwise
                give each a fresh tensor of zeros. Either way the old gradient array is
                left untouched, since other code may still hold it.
        """
        for group in self.param_groups:
            for p in group["params"]:
                # ._grad: the attribute behind .grad, whose checks a parameter (a leaf) and
                # zeros of its own shape and dtype do not need; once per step per parameter.
                if p._grad is not None:
                    p._grad = None if set_to_none else Tensor._wrap(np.zeros_like(p.data))

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient, by the optimizer's rule.

        Each optimizer writes its rule once, for one parameter, in ``_update``; this
        method runs it for every parameter that has a gradient and then counts the change
        in the parameter's version (so a graph that saved the old values refuses to
        backward).

        Args:
            closure: Optional function that re-evaluates the model and returns the loss.

        Returns:
            The closure's loss, or ``None`` without a closure.
        """
        loss = None if closure is None else closure()
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad  # .grad without its non-leaf check: parameters are leaves
                if grad is None:
                    continue
                self._update(p, self._gradient(p, grad.data, group), group)
                p._vc[0] += 1  # a new version: a graph that saved p refuses to backward
        return loss

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        """Apply the update rule to one parameter: change ``p.data`` in place.

        Args:
            p: The parameter; its state is ``self.state[p]``.
            grad: The gradient the rule uses (see :meth:`_gradient`); never change it in
                place, it may be ``p.grad``'s own array.
            group: The parameter's group, which holds the hyper-parameters.
        """
        raise NotImplementedError

    @staticmethod
    def _gradient(p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        """The gradient every rule starts from: ``±grad + weight_decay * param``.

        The sign flips for ``maximize=True``; the L2 term is left out when the group's
        decay is decoupled (AdamW shrinks the weights instead). ``grad`` (``p.grad``'s
        array) is not changed.
        """
        if group["maximize"]:
            grad = -grad
        weight_decay = group["weight_decay"]
        if weight_decay != 0 and not group.get("decoupled_weight_decay", False):
            grad = grad + weight_decay * p.data
        return grad

    def state_dict(self) -> dict[str, Any]:
        """Return a checkpoint of the optimizer: its state and its parameter groups.

        Parameters are replaced by their position (counted across groups, from 0) so the
        checkpoint can be loaded into a fresh optimizer built on a fresh model. Arrays are
        copies: later steps do not change a saved checkpoint.

        Returns:
            ``{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}``.

        Example:
            >>> import numpy as np
            >>> from nnlib.nn import Parameter
            >>> from nnlib.optim import SGD
            >>> w = Parameter(np.zeros(2))
            >>> SGD([w], lr=0.1).state_dict()["param_groups"][0]["params"]
            [0]
        """
        index: dict[int, int] = {}
        param_groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            param_groups.append(packed)
        state = {
            index[id(p)]: copy.deepcopy(value) for p, value in self.state.items() if id(p) in index
        }
        return {"state": state, "param_groups": param_groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a checkpoint made by :meth:`state_dict`, so training resumes exactly.

        Args:
            state_dict: The dict returned by :meth:`state_dict` of an optimizer with the
                same number of groups and of parameters per group. Its arrays are copied
                and cast to the dtype of the parameter they belong to.

        Raises:
            ValueError: if the group structure does not match.
        """
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            _invalid(
                "loaded state dict has a different number of parameter groups",
                f"this optimizer has {len(groups)} group(s), the checkpoint "
                f"{len(saved_groups)}; build the optimizer the same way as the saved one.",
            )
        for group, saved in zip(groups, saved_groups, strict=True):
            if len(group["params"]) != len(saved["params"]):
                _invalid(
                    "loaded state dict contains a parameter group that doesn't match the "
                    "size of optimizer's group",
                    f"a group here has {len(group['params'])} parameter(s), the saved one "
                    f"{len(saved['params'])}; build the optimizer the same way as the saved "
                    "one.",
                )
        id_map = {
            saved_index: p
            for group, saved in zip(groups, saved_groups, strict=True)
            for saved_index, p in zip(saved["params"], group["params"], strict=True)
        }

        def cast(param: Tensor, value: Any) -> Any:
            if isinstance(value, np.ndarray):
                return value.astype(param.data.dtype, copy=True)
            if isinstance(value, dict):
                return {k: cast(param, v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(cast(param, v) for v in value)
            return copy.deepcopy(value)

        state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                state[id_map[k]] = cast(id_map[k], v)
        for group, saved in zip(groups, saved_groups, strict=True):
            saved["params"] = group["params"]
        self.state = state
        self.param_groups = saved_groups

    def __getstate__(self) -> dict[str, Any]:
        # Leave out any step() wrapper an lr scheduler installed (it points at this very
        # optimizer).
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {key}: {group[key]}" for key in sorted(group) if key != "params"]
        return "\n".join(lines) + "\n)"
