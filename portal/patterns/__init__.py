"""Repeated problems: the same official, procedure, agency, ward, category or problem type coming back within a
window; near-duplicate texts; thresholds that alert the Department of Home Affairs and the commission."""
