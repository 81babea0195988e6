"""Trust and safety: reports, cases routed by language, classifiers, sanctions, appeals, audit log."""
