"""Services of the matching app: profiles, official lists, matching runs, one-click applications."""
