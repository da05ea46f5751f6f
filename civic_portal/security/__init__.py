"""Security helpers shared by every app: policy values, rate limits, uploads."""
