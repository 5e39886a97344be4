"""Demo data for trying the portal and for the benchmarks: `flask --app portal demo generate N`."""
