"""Notices: publication, delivery to the audience, feed, read receipts and reach."""
