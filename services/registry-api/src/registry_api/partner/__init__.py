"""Partner-safe reads: projects, targets, progress, aggregated statistics and the published lists."""
