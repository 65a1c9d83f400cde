"""The ranking engine: indicator values from the store, normalised, weighted, aggregated and ranked.

`indicators.build` reads the store's frames into a long country x indicator matrix; `score.score` turns
that matrix and a profile into one result frame (used alike by the CLI, the site and the exports);
`sensitivity` perturbs the weights and the normalisation; `explain` says why a country ranks where it does.

Enters: `Facts` frames and a `Profile` (`rankings/*.yaml` or a built-in one). Leaves: ranking frames.
"""
