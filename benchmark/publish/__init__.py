"""Publishing: the static site, exports, the matrix, the quality report, the analyst's views and diffs.

Enters: `Facts` and scores. Leaves: pages, files and tables for readers.
"""
