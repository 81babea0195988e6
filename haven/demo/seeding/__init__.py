"""The steps of seeding the demo community (haven.demo.seed runs them)."""
