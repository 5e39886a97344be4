"""The resident's side: filing a complaint."""
