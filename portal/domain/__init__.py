"""The domain: kinds, states, clocks and rules that every side of the portal shares."""
