"""Load scenarios against a running Haven (locust) and their baselines; see docs/scaling.md."""
