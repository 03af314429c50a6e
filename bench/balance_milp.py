#!/usr/bin/python3
"""Second method for the frustration index: a binary linear program solved
by HiGHS (scipy.optimize.milp), independent of entente's branch and bound.

    /usr/bin/python3 bench/balance_milp.py data/signed/tribes.csv data/signed/cow/*.csv

Model (Aref, Mason & Wilson 2018, "XOR" form): x_i in {0,1} is the bloc of
vertex i, f_e in {0,1} says edge e is frustrated;
  positive edge ij:  f >= x_i - x_j,  f >= x_j - x_i
  negative edge ij:  f >= x_i + x_j - 1,  f >= 1 - x_i - x_j
minimise sum f, with x_0 = 0 (a partition and its mirror cost the same).
Prints one line per file: name, L, solver status, seconds.
"""
import csv
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix


def frustration(path):
    edges, ids = [], {}
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            a = ids.setdefault(row["from"], len(ids))
            b = ids.setdefault(row["to"], len(ids))
            edges.append((a, b, int(row["sign"])))
    n, m = len(ids), len(edges)
    A = lil_matrix((2 * m, n + m))
    lo = np.empty(2 * m)
    for e, (i, j, s) in enumerate(edges):
        f = n + e
        if s > 0:  # f - x_i + x_j >= 0 ; f + x_i - x_j >= 0
            A[2 * e, f], A[2 * e, i], A[2 * e, j] = 1, -1, 1
            A[2 * e + 1, f], A[2 * e + 1, i], A[2 * e + 1, j] = 1, 1, -1
            lo[2 * e] = lo[2 * e + 1] = 0
        else:  # f - x_i - x_j >= -1 ; f + x_i + x_j >= 1
            A[2 * e, f], A[2 * e, i], A[2 * e, j] = 1, -1, -1
            A[2 * e + 1, f], A[2 * e + 1, i], A[2 * e + 1, j] = 1, 1, 1
            lo[2 * e], lo[2 * e + 1] = -1, 1
    c = np.concatenate([np.zeros(n), np.ones(m)])
    ub = np.ones(n + m)
    ub[0] = 0
    t0 = time.time()
    res = milp(c, constraints=LinearConstraint(A.tocsr(), lo, np.inf),
               integrality=np.ones(n + m), bounds=Bounds(np.zeros(n + m), ub))
    return round(res.fun), res.status, time.time() - t0


if __name__ == "__main__":
    for p in sys.argv[1:]:
        L, status, dt = frustration(p)
        print(f"{p} L={L} status={status} t={dt:.2f}s", flush=True)
