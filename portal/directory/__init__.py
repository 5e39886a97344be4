"""The directory: agencies, wards, categories, problem types, routing rules, legal clocks and the calendar.

It is data, not code: loaded from the YAML files in `data/` (or an edited copy) by `flask directory load`.
"""
