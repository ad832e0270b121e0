"""The ward miniapp on the web: resident, staff and merchant pages."""
