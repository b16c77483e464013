"""The daemon's local API: versioned JSON lines over a Unix socket (see docs/api.md)."""
