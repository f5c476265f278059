"""Tests of the toy datasets (tinygrad_init.data) and of utils.as_rng."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_init import data
from tinygrad_init.utils import as_rng

GENERATORS = {
    "moons": (data.moons, 2),
    "circles": (data.circles, 2),
    "spirals": (data.spirals, 2),
    "blobs": (data.blobs, 3),
}


# ---------------------------------------------------------------- utils.as_rng


def test_as_rng_accepts_generator_seed_and_none() -> None:
    g = np.random.default_rng(5)
    assert as_rng(g) is g
    assert as_rng(7).random() == np.random.default_rng(7).random()
    assert as_rng(np.int64(7)).random() == np.random.default_rng(7).random()
    assert isinstance(as_rng(None), np.random.Generator)


@pytest.mark.parametrize("bad", [1.5, "0", True, [1, 2], np.random.RandomState(0)])
def test_as_rng_rejects_other_types(bad: object) -> None:
    with pytest.raises(TypeError, match="np.random.Generator, an int seed or None"):
        as_rng(bad)


def test_as_rng_rejects_negative_seed() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        as_rng(-1)


# ---------------------------------------------------------------- shapes, dtypes, balance


@pytest.mark.parametrize("name", list(GENERATORS))
@pytest.mark.parametrize("n", [3, 10, 101])
def test_shapes_dtypes_and_labels(name: str, n: int) -> None:
    fn, k = GENERATORS[name]
    X, y = fn(n, rng=0)
    assert X.shape == (n, 2) and X.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64
    assert X.flags.c_contiguous
    assert set(np.unique(y)) == set(range(k))
    assert np.all(np.isfinite(X))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(4, 300), classes=st.integers(2, 4), seed=st.integers(0, 2**32 - 1))
def test_classes_are_balanced(n: int, classes: int, seed: int) -> None:
    for X, y, k in [
        (*data.moons(n, rng=seed), 2),
        (*data.circles(n, rng=seed), 2),
        (*data.spirals(n, classes=classes, rng=seed), classes),
        (*data.blobs(n, centers=classes, rng=seed), classes),
    ]:
        counts = np.bincount(y, minlength=k)
        assert len(counts) == k
        assert counts.sum() == n
        assert counts.max() - counts.min() <= 1
        # the first n % k classes get the extra point
        np.testing.assert_array_equal(counts, [n // k + (i < n % k) for i in range(k)])


@pytest.mark.parametrize("name", list(GENERATORS))
def test_rows_are_shuffled(name: str) -> None:
    fn, _ = GENERATORS[name]
    _, y = fn(200, rng=3)
    assert np.any(np.diff(y) < 0), "labels come out sorted: the rows were not shuffled"
    # both halves hold every class, so a slice is a fair mini-batch
    assert set(np.unique(y[:100])) == set(np.unique(y[100:]))


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("name", list(GENERATORS))
def test_same_seed_same_bytes_and_different_seed_differs(name: str) -> None:
    fn, _ = GENERATORS[name]
    X1, y1 = fn(50, rng=123)
    X2, y2 = fn(50, rng=123)
    assert X1.tobytes() == X2.tobytes() and y1.tobytes() == y2.tobytes()
    X3, _ = fn(50, rng=124)
    assert not np.array_equal(X1, X3)
    # a Generator continues its stream: two draws from one generator differ,
    # and replaying the stream from the same seed reproduces both
    g = np.random.default_rng(9)
    a, b = fn(50, rng=g)[0], fn(50, rng=g)[0]
    assert not np.array_equal(a, b)
    g = np.random.default_rng(9)
    np.testing.assert_array_equal(fn(50, rng=g)[0], a)
    np.testing.assert_array_equal(fn(50, rng=g)[0], b)


# ---------------------------------------------------------------- geometry


def test_moons_without_noise_lie_on_their_half_circles() -> None:
    X, y = data.moons(400, noise=0.0, rng=1)
    X = X.astype(np.float64)
    up, low = X[y == 0], X[y == 1]
    # class 0: the upper half of the unit circle
    np.testing.assert_allclose(np.hypot(up[:, 0], up[:, 1]), 1.0, atol=1e-6)
    assert np.all(up[:, 1] >= -1e-7)
    # class 1: the unit circle around (1, 0.5), lower half
    np.testing.assert_allclose(np.hypot(low[:, 0] - 1.0, low[:, 1] - 0.5), 1.0, atol=1e-6)
    assert np.all(low[:, 1] <= 0.5 + 1e-7)
    # the angles cover the whole half circle
    assert up[:, 0].min() < -0.95 and up[:, 0].max() > 0.95


def test_moons_noise_has_the_requested_std() -> None:
    # Points of class 0 have radius 1; Gaussian noise of std s adds a radial error of
    # std s (for s << 1), so the radius spread measures the noise.
    X, y = data.moons(20000, noise=0.02, rng=2)
    r = np.hypot(*X[y == 0].astype(np.float64).T)
    assert abs(r.mean() - 1.0) < 2e-3
    assert r.std() == pytest.approx(0.02, rel=0.05)


@pytest.mark.parametrize("factor", [0.2, 0.5, 0.9])
def test_circles_without_noise_have_radii_1_and_factor(factor: float) -> None:
    X, y = data.circles(300, noise=0.0, factor=factor, rng=4)
    r = np.hypot(*X.astype(np.float64).T)
    np.testing.assert_allclose(r[y == 0], 1.0, atol=1e-6)
    np.testing.assert_allclose(r[y == 1], factor, atol=1e-6)


def test_circles_noise_has_the_requested_std() -> None:
    X, y = data.circles(20000, noise=0.03, factor=0.5, rng=5)
    r = np.hypot(*X[y == 0].astype(np.float64).T)
    assert r.std() == pytest.approx(0.03, rel=0.05)


@pytest.mark.parametrize("classes,turns", [(2, 1.0), (3, 0.5), (4, 1.5)])
def test_spirals_without_noise_follow_their_arms(classes: int, turns: float) -> None:
    X, y = data.spirals(600, noise=0.0, classes=classes, turns=turns, rng=6)
    X = X.astype(np.float64)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all(r <= 1.0 + 1e-6)
    theta = np.arctan2(X[:, 1], X[:, 0])
    expected = 2 * np.pi * turns * r + 2 * np.pi * y / classes
    far = r > 0.05  # the angle of a point at the origin is not defined
    # compare angles modulo 2 pi through the unit complex numbers
    err = np.abs(np.exp(1j * theta[far]) - np.exp(1j * expected[far]))
    assert err.max() < 1e-4


def test_spirals_noise_turns_points_but_keeps_radius() -> None:
    X0, y0 = data.spirals(300, noise=0.0, rng=7)
    X1, y1 = data.spirals(300, noise=0.5, rng=7)
    # the jitter only changes angles: the radii are the same multiset
    np.testing.assert_allclose(np.sort(np.hypot(*X0.T)), np.sort(np.hypot(*X1.T)), atol=1e-6)
    assert not np.allclose(np.sort(X0[:, 0]), np.sort(X1[:, 0]))



def test_circles_angles_cover_the_whole_circle_evenly() -> None:
    # t ~ U[0, 2 pi): each of 8 equal sectors holds an eighth of each circle's points (binomial sd ~1.3% of n)
    X, y = data.circles(16000, noise=0.0, rng=3)
    t = np.arctan2(X[:, 1].astype(np.float64), X[:, 0].astype(np.float64)) % (2 * np.pi)
    for c in (0, 1):
        counts = np.histogram(t[y == c], bins=8, range=(0, 2 * np.pi))[0]
        np.testing.assert_allclose(counts, 1000, rtol=0.12)


def test_spirals_radii_are_uniform_on_0_1() -> None:
    # s ~ U[0, 1]: without noise the radius is s, its quartiles 1/4, 1/2, 3/4
    X, _ = data.spirals(8000, noise=0.0, rng=4)
    r = np.hypot(*X.astype(np.float64).T)
    np.testing.assert_allclose(np.quantile(r, [0.25, 0.5, 0.75]), [0.25, 0.5, 0.75], atol=0.02)
    assert r.min() < 0.01 and r.max() > 0.99


def test_spirals_angle_noise_is_centred_on_the_arm_with_the_requested_std() -> None:
    # theta = 2 pi turns s + 2 pi k / K + noise N(0, 1): the angle off the arm has mean 0 and std noise
    X, y = data.spirals(8000, noise=0.3, classes=3, rng=5)
    X = X.astype(np.float64)
    r = np.hypot(X[:, 0], X[:, 1])
    off = np.angle(np.exp(1j * (np.arctan2(X[:, 1], X[:, 0]) - 2 * np.pi * r - 2 * np.pi * y / 3)))[r > 0.05]
    assert abs(off.mean()) < 0.02  # standard error 0.3 / sqrt(7600) = 0.0034
    assert off.std() == pytest.approx(0.3, rel=0.05)


@pytest.mark.parametrize("k", [1, 3])
def test_blobs_takes_any_number_of_explicit_centers(k: int) -> None:
    centers = np.array([[-5.0, 2.0], [3.0, 3.0], [0.0, -4.0]])[:k]
    X, y = data.blobs(30, centers=centers, std=0.0, rng=1)
    assert sorted(set(y.tolist())) == list(range(k))
    np.testing.assert_array_equal(X, centers[y].astype(np.float32))


def test_blobs_refuses_an_empty_array_of_centers() -> None:
    # no centers, no classes: 10 points asked for would come back as none
    with pytest.raises(ValueError, match=r"^blobs: centers given as an array must have shape \(k, 2\), k >= 1, .* "
                                         r"got shape \(0, 2\)$"):
        data.blobs(10, centers=np.zeros((0, 2)))

def test_blobs_without_noise_sit_on_their_centers() -> None:
    X, y = data.blobs(40, centers=4, std=0.0, rng=8)
    expected = 4.0 * np.array([[1, 0], [0, 1], [-1, 0], [0, -1]], dtype=np.float64)
    np.testing.assert_allclose(X, expected[y], atol=1e-6)
    X, y = data.blobs(5, centers=1, std=0.0, rng=8)
    np.testing.assert_array_equal(X, np.zeros((5, 2), np.float32))


def test_blobs_explicit_centers_and_std() -> None:
    centers = np.array([[-5.0, 2.0], [3.0, 3.0]])
    X, y = data.blobs(20000, centers=centers, std=0.5, rng=9)
    for j in range(2):
        pts = X[y == j].astype(np.float64)
        # standard error of the mean is 0.5 / sqrt(10000) = 0.005
        np.testing.assert_allclose(pts.mean(axis=0), centers[j], atol=0.03)
        np.testing.assert_allclose(pts.std(axis=0), 0.5, rtol=0.05)


def test_every_generator_takes_noise_as_the_issue_promises_blobs_as_its_std() -> None:
    # "each f(n, noise=..., rng=...) -> (X, y)": blobs took only std=, so blobs(n, noise=0.5, rng=0) was a TypeError;
    # its noise is its std (N(0, noise^2) on each coordinate, as the other generators add it)
    for make in data.DATASETS.values():
        X, y = make(30, noise=0.0, rng=3)
        assert X.shape == (30, 2) and y.shape == (30,)
    for a, b in zip(data.blobs(50, noise=0.5, rng=3), data.blobs(50, std=0.5, rng=3)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"^blobs: noise must be >= 0, got -1"):
        data.blobs(10, noise=-1)
    with pytest.raises(TypeError, match=r"^blobs: give std or noise \(the same spread\), not both"):
        data.blobs(10, std=0.5, noise=0.3)


def test_datasets_registry_names_the_generators() -> None:
    assert data.DATASETS == {"moons": data.moons, "circles": data.circles,
                             "spirals": data.spirals, "blobs": data.blobs}


# ---------------------------------------------------------------- argument errors


@pytest.mark.parametrize("call,exc,fragment", [
    (lambda: data.moons(0), ValueError, "moons: n must be >= 2"),
    (lambda: data.moons(1), ValueError, "each of the 2 classes"),
    (lambda: data.moons(10.0), TypeError, "moons: n must be a whole number"),
    (lambda: data.moons(True), TypeError, "n must be a whole number, got bool"),
    (lambda: data.moons(10, noise=-0.1), ValueError, "noise must be >= 0"),
    (lambda: data.moons(10, noise=float("nan")), ValueError, "noise must be a finite number"),
    (lambda: data.moons(10, noise="0.1"), TypeError, "noise must be a number"),
    (lambda: data.moons(10, rng="seed"), TypeError, "rng must be"),
    (lambda: data.circles(10, factor=1.0), ValueError, "factor .* in \\(0, 1\\)"),
    (lambda: data.circles(10, factor=0.0), ValueError, r"factor must be in \(0, 1\), got 0"),
    (lambda: data.circles(10, noise=-1), ValueError, "circles: noise"),
    (lambda: data.spirals(10, classes=1), ValueError, "classes must be >= 2"),
    (lambda: data.spirals(3, classes=4), ValueError, "n must be >= 4"),
    (lambda: data.spirals(10, turns=0), ValueError, "turns must be > 0"),
    (lambda: data.blobs(10, centers=0), ValueError, "centers must be >= 1"),
    (lambda: data.blobs(2, centers=3), ValueError, "n must be >= 3"),
    (lambda: data.blobs(0, centers=1), ValueError, r"^blobs: n must be >= 1, got 0$"),  # not 'each of the 1 classes'
    (lambda: data.blobs(10, centers=[[0, 0, 0]]), ValueError, "shape \\(k, 2\\)"),
    (lambda: data.blobs(10, centers=[[0, np.inf]]), ValueError, "finite"),
    (lambda: data.blobs(10, centers="abc"), TypeError, "centers must be an int"),
    (lambda: data.blobs(10, centers=[["a", "b"]]), TypeError, r"centers must be an int .* got list \[\['a', 'b'\]\]$"),
    (lambda: data.blobs(10, centers=3.0), TypeError, r"^blobs: centers must be an int .* got float 3.0$"),  # was:
    (lambda: data.blobs(10, centers=True), TypeError, r"centers must be an int .* got bool True$"),  # 'shape ()'
    (lambda: data.blobs(10, std=-1), ValueError, "std must be >= 0"),
])
def test_bad_arguments_raise_clear_errors(call, exc, fragment) -> None:
    with pytest.raises(exc, match=fragment):
        call()


# ---------------------------------------------------------------- train_test_split


def test_split_partitions_the_rows() -> None:
    X = np.arange(40, dtype=np.float64).reshape(20, 2)
    y = np.repeat([0, 1], 10)
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, 0.25, rng=0)
    assert Xtr.shape == (15, 2) and Xte.shape == (5, 2)  # round(20 * 0.25); 2.5 per class: 3 and 2
    assert Xtr.dtype == X.dtype and ytr.dtype == y.dtype
    rows = np.concatenate([Xtr[:, 0], Xte[:, 0]]) // 2
    np.testing.assert_array_equal(np.sort(rows), np.arange(20))  # disjoint and complete
    # labels travel with their rows
    np.testing.assert_array_equal(ytr, y[(Xtr[:, 0] // 2).astype(int)])
    np.testing.assert_array_equal(yte, y[(Xte[:, 0] // 2).astype(int)])
    np.testing.assert_array_equal(np.bincount(yte), [3, 2])


def test_split_is_stratified_and_deterministic() -> None:
    X, y = data.blobs(301, centers=3, rng=1)  # class sizes 101, 100, 100
    a = data.train_test_split(X, y, 0.2, rng=5)
    b = data.train_test_split(X, y, 0.2, rng=5)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    np.testing.assert_array_equal(np.bincount(a[3]), [20, 20, 20])
    np.testing.assert_array_equal(np.bincount(a[2]), [81, 80, 80])
    c = data.train_test_split(X, y, 0.2, rng=6)
    assert not np.array_equal(a[1], c[1])


def test_split_without_stratify() -> None:
    X = np.arange(10.0).reshape(10, 1)
    y = np.linspace(0, 1, 10)  # regression targets: not classes
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, 0.3, rng=0, stratify=False)
    assert len(Xte) == 3 and len(Xtr) == 7
    np.testing.assert_array_equal(np.sort(np.concatenate([Xtr, Xte])[:, 0]), np.arange(10.0))
    with pytest.raises(ValueError, match="integer class labels"):
        data.train_test_split(X, y, 0.3, rng=0)


@pytest.mark.parametrize("kwargs,fragment", [
    (dict(X=np.zeros((5, 2)), y=np.zeros(4, int), test_fraction=0.2), "5 rows but y has 4"),
    (dict(X=np.zeros((5, 2)), y=np.zeros(5, int), test_fraction=0.0), r"test_fraction must be in \(0, 1\), got 0"),
    (dict(X=np.zeros((5, 2)), y=np.zeros(5, int), test_fraction=1.0), r"test_fraction must be in \(0, 1\), got 1"),
    (dict(X=np.zeros((5, 2)), y=np.zeros((5, 1), int), test_fraction=0.2), "y shape \\(n,\\)"),
    (dict(X=np.zeros((2, 2)), y=np.array([0, 1]), test_fraction=0.1), "test part would be empty"),
    (dict(X=np.zeros((4, 2)), y=np.array([0, 0, 1, 1]), test_fraction=0.9), "with 4 points and test_fraction=0.9 "
     "the training part would be empty"),  # round(4 * 0.9) = 4 held out
    (dict(X=np.zeros((0, 2)), y=np.zeros(0, int), test_fraction=0.25), "0 points .* test part would be empty"),
    (dict(X=[[1.0, 2.0], [3.0]], y=[0, 1], test_fraction=0.5), "train_test_split: X and y .* rows of one length"),
])
def test_split_errors(kwargs, fragment) -> None:
    with pytest.raises(ValueError, match=fragment):
        data.train_test_split(**kwargs, rng=0)


def test_train_test_split_stratify_must_be_a_bool():
    X, y = data.moons(20, rng=0)
    with pytest.raises(TypeError, match="train_test_split: stratify must be True or False"):
        data.train_test_split(X, y, 0.25, rng=0, stratify="no")  # a truthy string used to stratify silently


@pytest.mark.parametrize("kwargs, says", [
    ({"test_size": 0.2}, r"'test_size' is scikit-learn's; here it is test_fraction \(a fraction in \(0, 1\)\)"),
    ({"random_state": 0}, r"'random_state' is scikit-learn's; here it is rng"),
    ({"shuffle": False}, r"'shuffle' is scikit-learn's; here both parts are always shuffled"),
    ({"test_fraction": 0.2, "seed": 0}, r"'seed' is not an argument"),
    ({"stratify": "y"}, r"stratify must be True or False; scikit-learn's stratify=y is stratify=True here \(the "
                        r"classes of y\)")])
def test_train_test_split_names_scikit_learns_arguments_with_what_to_write(kwargs, says) -> None:
    # the function has scikit-learn's name, so its habits come along: train_test_split(X, y, test_size=0.2,
    # stratify=y, random_state=0) met "unexpected keyword argument", or for stratify=y a long array
    X, y = data.moons(20, rng=0)
    with pytest.raises(TypeError, match=rf"^train_test_split: {says}(; it takes X, y, test_fraction, rng and "
                                        r"stratify)?$"):
        data.train_test_split(X, y, **{k: y if v == "y" else v for k, v in kwargs.items()})
    parts = data.train_test_split(X, y, test_fraction=0.2, rng=0, stratify=True)  # what the messages say to write
    assert [len(p) for p in parts] == [16, 4, 16, 4] and np.bincount(parts[3]).tolist() == [2, 2]


def test_the_default_noise_of_each_generator() -> None:
    # data.moons(n) etc. without noise=: moons 0.1, circles 0.05 (radial spread of class 0 on its unit circle),
    # spirals 0.2 rad (angle off its arm, 2 pi s + pi k), blobs std 1 (off its centre, radius 4 at 2 pi j / 3)
    X, y = data.moons(20000, rng=1)
    assert np.hypot(*X[y == 0].T.astype(np.float64)).std() == pytest.approx(0.1, rel=0.05)
    X, y = data.circles(20000, rng=2)
    assert np.hypot(*X[y == 0].T.astype(np.float64)).std() == pytest.approx(0.05, rel=0.05)
    X, y = data.spirals(20000, rng=3)
    s, angle = np.hypot(*X.T.astype(np.float64)), np.arctan2(X[:, 1], X[:, 0])
    off = np.angle(np.exp(1j * (angle - 2 * np.pi * s - np.pi * y)))
    assert off.std() == pytest.approx(0.2, rel=0.05)
    X, y = data.blobs(30000, rng=4)
    mu = 4 * np.stack([np.cos(2 * np.pi * y / 3), np.sin(2 * np.pi * y / 3)], axis=1)
    assert (X - mu).std() == pytest.approx(1.0, rel=0.03)


def test_split_holds_out_a_quarter_by_default() -> None:
    # the docstring's default test_fraction = 0.25: round(8 * 0.25) = 2 of each class
    X, y = np.arange(16.0), np.repeat([0, 1], 8)  # X 1-D: one feature per row, (n,) is (n, ...)
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, rng=0)
    assert (len(Xtr), len(Xte)) == (12, 4) and np.bincount(yte).tolist() == [2, 2]
    np.testing.assert_array_equal(np.sort(np.concatenate([Xtr, Xte])), X)


def test_split_refuses_a_scalar_x_and_no_points_by_name() -> None:
    with pytest.raises(ValueError, match=r"^train_test_split: X needs shape \(n, ...\) and y shape \(n,\), got X \(\) "
                                         r"and y \(1,\)$"):
        data.train_test_split(np.array(3.0), np.array([1]))
    with pytest.raises(ValueError, match=r"^train_test_split: with 0 points and test_fraction=0.5 the test part would "
                                         "be empty"):
        data.train_test_split(np.zeros((0, 2)), np.zeros(0, dtype=np.int64), 0.5)


@pytest.mark.parametrize("sizes, fraction", [([5, 5], 0.5), ([3] * 10, 0.5), ([90, 10], 0.25), ([67, 67, 66], 0.25),
                                             ([1, 1], 0.5), ([10, 10], 0.25), ([4, 3, 3], 0.3)])
def test_a_stratified_split_holds_out_the_fraction_of_all_points(sizes, fraction) -> None:
    # A student asking for half of 10 moons points gets 5, as without stratify (sklearn's too: its stratified split
    # first fixes the test size, then shares it among the classes). Each class of m points puts floor or ceil of
    # m * fraction into the test part. Rounding each class on its own held out 6 of 10 at 0.5, 20 of 30 (ten classes
    # of 3) and refused two points of two classes, whose one-and-one split exists.
    y = np.repeat(np.arange(len(sizes)), sizes)
    n = len(y)
    for seed in range(3):
        Xtr, Xte, ytr, yte = data.train_test_split(np.arange(float(n)), y, fraction, rng=seed)
        assert len(yte) == int(np.floor(n * fraction + 0.5)) == n - len(ytr)
        held = np.bincount(yte, minlength=len(sizes))
        assert np.all(np.abs(held - np.array(sizes) * fraction) < 1), held
        np.testing.assert_array_equal(np.sort(np.concatenate([Xtr, Xte])), np.arange(float(n)))


def test_a_stratified_split_gives_a_tied_remainder_to_the_lower_label() -> None:
    # 2 and 7 points at 0.2: 0.4 and 1.4 held out, 2 in all; both remainders are 0.4 (in floats 7 * 0.2 - 1 is a
    # little more than 2 * 0.2), so the lower label gets the second point, as the docstring says (it went to label 1)
    y = np.repeat([0, 1], [2, 7])
    assert np.bincount(data.train_test_split(np.zeros(9), y, 0.2, rng=0)[3]).tolist() == [1, 1]


def test_a_stratified_split_gives_the_extra_test_rows_to_the_largest_remainders_ties_to_the_lower_label() -> None:
    # 20 classes of 1, 2, 3, 1, 2, 3, ... rows, a quarter held out: every class's quota m/4 < 1, so all round(39 / 4)
    # = 10 test rows go by remainder: the seven classes of 3 (0.75) first, then the three lowest classes of 2 (0.5).
    # More than 16 classes: numpy's default sort does not keep tied classes in label order.
    sizes = [1 + c % 3 for c in range(20)]
    y = np.repeat(np.arange(20), sizes)
    order = sorted(range(20), key=lambda c: (-(sizes[c] % 4), c))[:10]
    expected = np.isin(np.arange(20), order).astype(int)
    for seed in range(3):
        _, _, _, y_test = data.train_test_split(np.zeros((39, 1)), y, 0.25, rng=seed)
        np.testing.assert_array_equal(np.bincount(y_test, minlength=20), expected)


def test_one_blob_sits_at_the_origin_and_is_one_class() -> None:
    X, y = data.blobs(6, centers=1, std=0.0, rng=0)
    np.testing.assert_array_equal(X, np.zeros((6, 2), np.float32))
    np.testing.assert_array_equal(y, np.zeros(6, np.int64))
