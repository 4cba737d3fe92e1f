"""Eligibility is a pure function of (facts, rule version, as-of date): it stores nothing."""
