"""Partner-safe reads of funding-api: aggregated statistics only."""
