"""Polls, elections, consultations and surveys."""
