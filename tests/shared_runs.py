"""Runs that several tests make with the same arguments, computed once per test process.

A test that reads one of them is marked with the run's group, ``@pytest.mark.xdist_group(SWEEP)``,
``@pytest.mark.xdist_group(DEPTH)`` or ``@pytest.mark.xdist_group(HE_ET_AL)``, so that under ``--dist loadgroup``
(scripts/test.sh) those tests share one process, and so the run. Each call returns a copy of the cached run: a test
may not change what the next one reads.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tinygrad_init import experiments

#: The xdist groups of the tests that share these runs.
SWEEP, DEPTH, HE_ET_AL = "sweep_runs", "depth_runs", "he_et_al_rng_0"


@cache
def _sweep_run(scheme: str, activation: str, seed: int) -> experiments.Run:
    from tinygrad_init import experiments

    return experiments.run_one(scheme, activation, rng=seed)


def sweep_run(scheme: str, activation: str, seed: int) -> experiments.Run:
    """`experiments.run_one(scheme, activation, rng=seed)`: CS231n's 10 x 500 network, batch 1000. It is the run of
    that scheme and activation in `experiments.run_sweep(schemes, activations, rng=seed)`, number for number: the
    sweep draws X, G and one weight seed from `rng` before any network, whatever the schemes and activations."""
    return copy.deepcopy(_sweep_run(scheme, activation, seed))


@cache
def _depth_run(rng: int) -> experiments.ExperimentResult:
    from tinygrad_init import experiments

    return experiments.depth(rng=rng, quick=True, seeds=5, layers=(22, 30), momentum=0.0)


def depth_run(rng: int) -> experiments.ExperimentResult:
    """`experiments.depth(rng=rng, quick=True, seeds=5, layers=(22, 30), momentum=0.0)`: five nets of each scheme at 22
    and at 30 layers, plain SGD, 500 steps. Its 30-layer panels and table rows are those of `layers=(30,)`: the data
    are drawn before any net and each depth trains its nets on their own."""
    return copy.deepcopy(_depth_run(rng))


@cache
def _he_et_al_run() -> experiments.ExperimentResult:
    from tinygrad_init import experiments

    return experiments.depth(rng=0)


def he_et_al_run() -> experiments.ExperimentResult:
    """`experiments.depth(rng=0)`, He et al.'s miniature with its defaults: five nets of each scheme, plain SGD at 22
    and 30 layers and momentum 0.9 at 30, 1,200 steps. Its 30-layer panels and table rows are those of
    `depth(rng=0, layers=(30,))`, and its plain-SGD ones those of `depth(rng=0, momentum=0.0)`, number for number:
    the data are drawn before any net and each net trains on its own."""
    return copy.deepcopy(_he_et_al_run())
