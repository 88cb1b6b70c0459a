"""The keep-probability trainer's parts: the fit finds a planted rule; AUC is the pairwise win rate."""
import numpy as np

from benchmarks import cardgen_rank_train as train


def test_fit_recovers_a_planted_rule():
    rng = np.random.default_rng(7)
    x = rng.random((400, 3))
    y = (x[:, 0] - x[:, 2] + 0.1 * rng.standard_normal(400) > 0).astype(float)
    bias, w = train.fit(x, y, penalty=0.3)
    assert w[0] > 2 and w[2] < -2 and abs(w[1]) < abs(w[0]) / 3
    p = 1 / (1 + np.exp(-(bias + x @ w)))
    assert ((p > 0.5) == (y == 1)).mean() > 0.9


def test_auc_counts_pairs_and_ties_half():
    y = np.array([1, 1, 0, 0])
    assert train.auc(np.array([0.9, 0.8, 0.2, 0.1]), y) == 1.0
    assert train.auc(np.array([0.1, 0.2, 0.8, 0.9]), y) == 0.0
    assert train.auc(np.array([0.5, 0.5, 0.5, 0.5]), y) == 0.5
