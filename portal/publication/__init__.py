"""The public list of answered complaints whose filers agreed to publication, and its search."""
