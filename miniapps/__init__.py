"""Ward miniapps: the per-ward config (templates, drafts, versions) and the miniapp modules."""
