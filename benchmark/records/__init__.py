"""Reading and checking records: YAML with positions, the record models, the dataset rules, the bibliography.

Enters: `countries/**/*.yaml` and `sources/*.yaml`. Leaves: validated `Record`s, or `Problem`s naming file,
line and field.
"""
