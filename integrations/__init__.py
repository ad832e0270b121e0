"""Open interfaces for outside systems: API clients (OAuth 2.0) and webhooks."""
