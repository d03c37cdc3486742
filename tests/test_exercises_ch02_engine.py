"""Chapter 2's build exercise, a micrograd-style engine: the right ``backward(root)`` passes,
each likely mistake is rejected with a hint that names it, a stub is "not attempted", a
crash is summarised without raising, and two runs print the same text (the shared checker
battery of tests/helpers.py on this file's table). The wrong engines are written as a
learner would write them."""

import numpy as np

from nnlib.exercises import Value, check_backward_engine
from nnlib.exercises.ch02 import _ENGINE
from tests.helpers import CheckerBattery


def topo(root):
    order, seen = [], set()

    def visit(v):
        if v not in seen:
            seen.add(v)
            for parent in v._prev:
                visit(parent)
            order.append(v)

    visit(root)
    return order


def right(root):
    root.grad = 1.0
    for v in reversed(topo(root)):
        v._backward()


def right_iterative(root):
    # Kahn's algorithm on the reversed graph: count how many nodes use each node.
    users, stack, seen = {}, [root], {id(root)}
    while stack:
        v = stack.pop()
        for p in v._prev:
            users[id(p)] = users.get(id(p), 0) + 1
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    root.grad = 1.0
    ready = [root]
    while ready:
        v = ready.pop()
        v._backward()
        for p in set(v._prev):
            users[id(p)] -= v._prev.count(p)
            if users[id(p)] == 0:
                ready.append(p)


def no_seed(root):
    for v in reversed(topo(root)):
        v._backward()


def recursive(root):
    root.grad = 1.0

    def go(v):
        v._backward()
        for p in v._prev:
            go(p)

    go(root)


def no_visited_set(root):
    order = []

    def visit(v):
        for parent in v._prev:
            visit(parent)
        order.append(v)

    visit(root)
    root.grad = 1.0
    for v in reversed(order):
        v._backward()


def forward_order(root):
    root.grad = 1.0
    for v in topo(root):
        v._backward()


def breadth_first(root):
    # A common first try: a queue from the output, each node once, but not topological.
    root.grad = 1.0
    queue, seen = [root], {root}
    while queue:
        v = queue.pop(0)
        v._backward()
        for p in v._prev:
            if p not in seen:
                seen.add(p)
                queue.append(p)


BATTERY = {
    _ENGINE: (
        check_backward_engine,
        right,
        [
            (no_seed, "set the output's own gradient to 1"),
            (recursive, "Sort the nodes topologically first"),
            (no_visited_set, "keep a `visited` set"),
            (forward_order, "in REVERSE"),
        ],
    ),
}


class TestCheckers(CheckerBattery):
    BATTERY = BATTERY


def test_other_right_engines_are_accepted() -> None:
    verdict = _ENGINE.evaluate(right_iterative)
    assert verdict.passed, verdict.text


def test_breadth_first_is_rejected_by_the_diamond() -> None:
    verdict = _ENGINE.evaluate(breadth_first)
    assert not verdict.passed
    assert "diamond" in verdict.text or "12 tanh" in verdict.text, verdict.text


def test_value_arithmetic_and_gradients_match_the_chain_rule() -> None:
    a, b = Value(2.0), Value(-3.0)
    out = (a * b + a**2 - b).tanh()
    right(out)
    t = np.tanh(2 * -3 + 4 + 3)
    assert np.isclose(out.data, t)
    assert np.isclose(a.grad, (1 - t * t) * (b.data + 2 * a.data))
    assert np.isclose(b.grad, (1 - t * t) * (a.data - 1))
