r"""Chapter 10's demos: the recipe's hardest judgements, made visible.

:func:`recipe_judgement` trains one network for every pair of a learning rate and a weight
decay (AdamW) on 300 training digits, and shows the training and validation curves of the
pair you pick with the verdict of :func:`diagnose`, the chapter's diagnosis table as code.
:func:`fixed_batch_predictions` shows what the network predicts for eight fixed validation
digits after each epoch of training, for three learning rates: the recipe's "visualise
predictions on a fixed batch over training".

:func:`diagnose`, :func:`judgement_curves` and :func:`prediction_snapshots` are the pure
functions the tests call; the two builders are the widgets.

Taught in chapter 10 (A recipe for training networks).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from nnlib import nn, optim, plot
from nnlib._tensor import Tensor
from nnlib.grad_mode import enable_grad, no_grad
from nnlib.nn import functional as F
from nnlib.random import fork_rng, manual_seed
from nnlib.widgets.demo import Demo, register

#: Learning rates and weight decays :func:`recipe_judgement` offers (a run for each pair).
JUDGEMENT_LRS = (1e-4, 1e-3, 3e-3, 1e-2, 1e-1, 3e-1)
JUDGEMENT_DECAYS = (0.0, 0.3, 1.0, 3.0)
#: Full-batch steps per run, and how often the curves are measured.
JUDGEMENT_STEPS, JUDGEMENT_EVERY = 100, 5
#: Learning rates and epochs :func:`fixed_batch_predictions` offers.
PREDICTION_LRS = (3e-4, 3e-3, 1e-1)
PREDICTION_EPOCHS = (0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15)


# ----------------------------------------------------------------------------- the data
@functools.lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The chapter's split: the digits' training part, split 80/20 into train and
    validation (stratified, seed 0), standardised with the training statistics (float64).
    The test part is never touched here."""
    from nnlib.data import load_digits, train_test_split

    X_rest, _, y_rest, _ = load_digits()
    X_tr, X_va, y_tr, y_va = train_test_split(
        X_rest.data, y_rest.data, test_size=0.2, seed=0, stratify=y_rest.data
    )
    mean, std = X_tr.mean(axis=0), X_tr.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (
        ((X_tr - mean) / std).astype(np.float64),
        y_tr,
        ((X_va - mean) / std).astype(np.float64),
        y_va,
    )


@functools.cache
def _raw_validation_images() -> np.ndarray:
    """The validation images before standardisation (pixel values in [0, 1]), for drawing."""
    from nnlib.data import load_digits, train_test_split

    X_rest, _, y_rest, _ = load_digits()
    _, X_va, _, _ = train_test_split(
        X_rest.data, y_rest.data, test_size=0.2, seed=0, stratify=y_rest.data
    )
    return np.asarray(X_va, dtype=np.float64)


def _mlp(hidden: int, seed: int) -> nn.Module:
    with fork_rng():  # the demo's own seed: later cells draw the same numbers
        manual_seed(seed)
        return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)).double()


# ------------------------------------------------------------------ the diagnosis table
def diagnose(train: np.ndarray, val: np.ndarray, initial: float = math.log(10)) -> str:
    r"""The chapter's diagnosis table as a rule: read two learning curves, name the problem.

    The rules, tried in order (losses measured at regular points of training):

    1. **diverged** — a loss is not finite, or the training loss ends above ``initial``
       (the loss of a guess) or jumps up 3-fold between two points;
    2. **underfitting** — the training loss ends above 0.5: lr too low, too few steps,
       or a model too small;
    3. **overfitting** — the validation loss ends 10 % above its minimum while the
       training loss kept falling: regularise, or stop at the minimum;
    4. **still learning** — the training loss is above 0.05 and fell by more than 20 %
       over the last four points: train longer or raise the learning rate;
    5. **gap** — validation ends more than 0.15 above training: more data helps most, a
       little more regularisation may help;
    6. **good** — both low, close and flat.

    Args:
        train: The training losses, in order.
        val: The validation losses at the same points.
        initial: The loss at initialisation (default :math:`\ln 10`, ten classes).

    Returns:
        A one-line verdict that starts with the diagnosis and says what to try.

    Example:
        >>> import numpy as np
        >>> diagnose(np.linspace(2.0, 1.2, 10), np.linspace(2.0, 1.3, 10))[:12]
        'underfitting'

    Taught in chapter 10 (A recipe for training networks).
    """
    train, val = np.asarray(train, dtype=float), np.asarray(val, dtype=float)
    with np.errstate(all="ignore"):
        jumps = train[1:] / np.maximum(train[:-1], 1e-12)
    if not (np.isfinite(train).all() and np.isfinite(val).all()) or (
        train[-1] > initial or (len(jumps) and jumps.max() > 3)
    ):
        return "diverged: the training loss blows up. Lower the learning rate 3-10 times."
    if train[-1] > 0.5:
        return (
            "underfitting: the training loss is still high. Raise the learning rate, train "
            "longer, or use a bigger model."
        )
    best = int(np.argmin(val))
    if val[-1] > 1.1 * val[best] and train[-1] < train[best]:
        return (
            f"overfitting: validation loss rose from its minimum (point {best + 1} of "
            f"{len(val)}) while training loss kept falling. Regularise more, or stop early."
        )
    if len(train) >= 5 and train[-1] > 0.05 and train[-1] < 0.8 * train[-5]:
        return (
            "still learning: the training loss is still falling fast. Train longer, or raise "
            "the learning rate a little."
        )
    if val[-1] - train[-1] > 0.15:
        return (
            "gap: validation well above training. More data helps most; a little more "
            "regularisation may help."
        )
    return "good fit: training and validation losses are low, close and flat."


# ------------------------------------------------------------- demo 1: lr × weight decay
@dataclass(frozen=True)
class JudgementView:
    """One frame of :func:`recipe_judgement`.

    Attributes:
        steps: The training steps at which the losses were measured.
        train: Training cost at those steps.
        val: Validation cost at those steps.
        lr: The learning rate.
        weight_decay: AdamW's weight decay.
        verdict: What :func:`diagnose` says about the two curves.
    """

    steps: np.ndarray
    train: np.ndarray
    val: np.ndarray
    lr: float
    weight_decay: float
    verdict: str


@functools.cache
def _judgement_run(lr: float, weight_decay: float) -> tuple[np.ndarray, np.ndarray]:
    X_tr, y_tr, X_va, y_va = _digits()
    pick = np.random.default_rng(0).permutation(len(X_tr))[:300]
    X, y = Tensor(X_tr[pick]), Tensor(y_tr[pick])
    Xv, yv = Tensor(X_va), Tensor(y_va)
    net = _mlp(64, seed=0)
    opt = optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    train, val = [], []
    with np.errstate(all="ignore"), enable_grad():
        for step in range(1, JUDGEMENT_STEPS + 1):
            opt.zero_grad()
            F.cross_entropy(net(X), y).backward()
            opt.step()
            if step % JUDGEMENT_EVERY == 0:
                with no_grad():
                    train.append(F.cross_entropy(net(X), y).item())
                    val.append(F.cross_entropy(net(Xv), yv).item())
    return np.array(train), np.array(val)


def judgement_curves(lr: float = 1e-2, weight_decay: float = 0.0) -> JudgementView:
    """Train (or recall) the run for one learning rate and weight decay, and diagnose it.

    A 64-64-10 network (one hidden layer of 64 ReLUs, float64, seed 0) trains with
    full-batch AdamW for ``JUDGEMENT_STEPS`` steps on 300 training digits; the costs on
    them and on the 270 validation digits are measured every 5 steps.

    Args:
        lr: The learning rate, one of ``JUDGEMENT_LRS`` (others are trained on demand).
        weight_decay: AdamW's decoupled weight decay.

    Returns:
        A :class:`JudgementView`.

    Example:
        >>> view = judgement_curves(1e-4, 0.0)
        >>> view.verdict.split(":")[0]
        'underfitting'

    Taught in chapter 10 (A recipe for training networks).
    """
    train, val = _judgement_run(float(lr), float(weight_decay))
    steps = np.arange(1, len(train) + 1) * JUDGEMENT_EVERY
    return JudgementView(steps, train, val, lr, weight_decay, diagnose(train, val))


def _short(x: float) -> str:
    return "0" if x == 0 else f"{x:g}"


@register
def recipe_judgement() -> Demo:
    """The live demo: pick a learning rate and a weight decay, read the curves and the verdict.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = recipe_judgement()
        >>> demo.controls["lr"].value = 0.3
        >>> demo.data.verdict.split(":")[0]
        'diverged'

    Taught in chapter 10 (A recipe for training networks).
    """
    for lr in JUDGEMENT_LRS:  # train every pair once, so moving a control is instant
        for decay in JUDGEMENT_DECAYS:
            _judgement_run(lr, decay)
    controls = {
        "lr": widgets.SelectionSlider(options=list(JUDGEMENT_LRS), value=1e-2, description="lr η"),
        "weight_decay": widgets.SelectionSlider(
            options=list(JUDGEMENT_DECAYS),
            value=0.0,
            description="weight decay λ",
        ),
    }
    fig, ax = plot.figure(width=6.4, height=3.6)
    with plot.style():
        (train_line,) = ax.plot([], [], color=plot.BLUE, lw=2, label="training cost")
        (val_line,) = ax.plot([], [], color=plot.VERMILLION, lw=2, label="validation cost")
        best = ax.scatter([], [], s=40, color=plot.VERMILLION, zorder=3, label="best validation")
        ax.set_xlim(0, JUDGEMENT_STEPS + 2)
        ax.set_yscale("log")
        ax.set_ylim(1e-6, 30)
        ax.set_xlabel("full-batch AdamW steps (300 training digits)")
        ax.set_ylabel("cross-entropy cost")
        ax.axhline(math.log(10), color=plot.MUTED, lw=1, ls=":")
        ax.legend(loc="lower left", fontsize=8)
        title = ax.set_title(" ", fontsize=9)
        verdict = ax.text(
            0.98,
            0.97,
            " ",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": plot.MUTED},
        )
    for artist in (train_line, val_line, best, title, verdict):
        artist.set_animated(True)

    def render(view: JudgementView) -> object:
        train = np.clip(np.nan_to_num(view.train, nan=30.0, posinf=30.0), 1e-6, 30)
        val = np.clip(np.nan_to_num(view.val, nan=30.0, posinf=30.0), 1e-6, 30)
        train_line.set_data(view.steps, train)
        val_line.set_data(view.steps, val)
        k = int(np.argmin(val))
        best.set_offsets([[view.steps[k], val[k]]])
        title.set_text(
            f"η = {_short(view.lr)}, λ = {_short(view.weight_decay)}: "
            f"training {view.train[-1]:.3g}, validation {view.val[-1]:.3g} at the end"
        )
        head, _, rest = view.verdict.partition(": ")
        verdict.set_text(f"verdict: {head.upper()}\n{_wrap(rest, 48)}")
        return fig

    return Demo(
        controls,
        judgement_curves,
        render,
        "Judging a run: learning rate and regularisation",
        static={"lr": list(JUDGEMENT_LRS), "weight_decay": list(JUDGEMENT_DECAYS)},
    )


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


# ------------------------------------------------ demo 2: predictions on a fixed batch
@dataclass(frozen=True)
class PredictionView:
    """One frame of :func:`fixed_batch_predictions`.

    Attributes:
        images: The eight fixed validation digits, shape ``(8, 8, 8)``.
        labels: Their labels.
        probs: The network's predicted probabilities for them, shape ``(8, 10)``.
        lr: The learning rate of the run.
        epoch: Epochs trained so far.
        val_accuracy: Accuracy on the whole validation split at that epoch.
    """

    images: np.ndarray
    labels: np.ndarray
    probs: np.ndarray
    lr: float
    epoch: int
    val_accuracy: float


#: Which validation digits the fixed batch holds (the first of each class 0-7).
def _fixed_batch() -> np.ndarray:
    _, _, _, y_va = _digits()
    return np.array([int(np.flatnonzero(y_va == k)[0]) for k in range(8)])


@functools.cache
def _prediction_run(lr: float) -> tuple[np.ndarray, np.ndarray]:
    X_tr, y_tr, X_va, y_va = _digits()
    fixed = Tensor(X_va[_fixed_batch()])
    Xv = Tensor(X_va)
    net = _mlp(32, seed=0)
    opt = optim.Adam(net.parameters(), lr=lr)
    rng = np.random.default_rng(0)
    probs, accs = [], []

    def snapshot() -> None:
        with no_grad():
            probs.append(F.softmax(net(fixed), dim=1).data.copy())
            accs.append(float((net(Xv).data.argmax(axis=1) == y_va).mean()))

    snapshot()
    with np.errstate(all="ignore"), enable_grad():
        for _ in range(max(PREDICTION_EPOCHS)):
            order = rng.permutation(len(X_tr))
            for start in range(0, len(order), 64):
                rows = order[start : start + 64]
                opt.zero_grad()
                F.cross_entropy(net(Tensor(X_tr[rows])), Tensor(y_tr[rows])).backward()
                opt.step()
            snapshot()
    return np.array(probs), np.array(accs)


def prediction_snapshots(lr: float = 3e-3, epoch: int = 0) -> PredictionView:
    """What a 64-32-10 network (Adam, batches of 64, seed 0) predicts for eight fixed
    validation digits after ``epoch`` epochs at learning rate ``lr``.

    Args:
        lr: The learning rate, one of ``PREDICTION_LRS`` (others are trained on demand).
        epoch: Epochs trained, 0 to 15.

    Returns:
        A :class:`PredictionView`.

    Example:
        >>> view = prediction_snapshots(3e-3, 0)
        >>> view.probs.shape, bool(abs(view.probs.sum(axis=1) - 1).max() < 1e-12)
        ((8, 10), True)

    Taught in chapter 10 (A recipe for training networks).
    """
    probs, accs = _prediction_run(float(lr))
    _, _, _, y_va = _digits()
    rows = _fixed_batch()
    images = _raw_validation_images()[rows].reshape(-1, 8, 8)  # pixels in [0, 1]
    return PredictionView(images, y_va[rows], probs[epoch], lr, epoch, float(accs[epoch]))


@register
def fixed_batch_predictions() -> Demo:
    """The live demo: step through training and watch eight fixed predictions change.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = fixed_batch_predictions()
        >>> demo.controls["epoch"].value = 15
        >>> demo.data.epoch
        15

    Taught in chapter 10 (A recipe for training networks).
    """
    for lr in PREDICTION_LRS:
        _prediction_run(lr)
    controls = {
        "lr": widgets.SelectionSlider(
            options=list(PREDICTION_LRS), value=3e-3, description="lr η"
        ),
        "epoch": widgets.SelectionSlider(
            options=list(PREDICTION_EPOCHS), value=0, description="epoch"
        ),
    }
    fig, axes = plot.figure(2, 8, width=8.0, height=2.9, height_ratios=(1.0, 1.1))
    images, bars, captions = [], [], []
    with plot.style():
        for k in range(8):
            top, bottom = axes[0, k], axes[1, k]
            images.append(top.imshow(np.zeros((8, 8)), cmap="gray_r", vmin=0.0, vmax=1.0))
            top.set_xticks([])
            top.set_yticks([])
            captions.append(top.set_title(" ", fontsize=8))
            bars.append(bottom.bar(range(10), np.zeros(10), color=plot.MUTED, width=0.8))
            bottom.set_ylim(0, 1)
            bottom.set_xticks([0, 5, 9])
            bottom.set_yticks([0, 1] if k == 0 else [])
            bottom.tick_params(labelsize=7)
        axes[1, 0].set_ylabel("p(class)", fontsize=8)
        suptitle = fig.suptitle(" ", fontsize=9)
    animated = [*images, *captions, suptitle] + [r for b in bars for r in b]
    for artist in animated:
        artist.set_animated(True)

    def render(view: PredictionView) -> object:
        for k in range(8):
            images[k].set_data(view.images[k])
            guess = int(np.argmax(view.probs[k]))
            right = guess == int(view.labels[k])
            captions[k].set_text(f"{guess} {'✓' if right else '✗'} p={view.probs[k, guess]:.2f}")
            for c, rect in enumerate(bars[k]):
                rect.set_height(view.probs[k, c])
                if c == int(view.labels[k]):
                    rect.set_color(plot.BLUISH_GREEN)
                elif c == guess:
                    rect.set_color(plot.VERMILLION)
                else:
                    rect.set_color(plot.MUTED)
        suptitle.set_text(
            f"η = {_short(view.lr)}, after {view.epoch} epochs: validation accuracy "
            f"{view.val_accuracy:.1%} (green bar: the true class; vermillion: a wrong guess)"
        )
        return fig

    return Demo(
        controls,
        prediction_snapshots,
        render,
        "Predictions on a fixed batch, epoch by epoch",
        static={"lr": list(PREDICTION_LRS), "epoch": list(PREDICTION_EPOCHS)},
    )
