"""Root pytest configuration: the jupytext text twins of the notebooks are not test modules."""

collect_ignore_glob = ["notebooks/*.py", "tools/*", "benchmarks/*"]
