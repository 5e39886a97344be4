"""Oversight: inspection cases (kiểm tra công vụ, thanh tra), their findings and recommendations, officials'
records and the "slow to correct" list, for inspectors, the Department of Home Affairs and the Party inspection
commission. Never for the agencies inspected: every page and file checks Permission.VIEW_INSPECTIONS."""
