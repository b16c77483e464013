"""Watchlist distribution: signed, versioned, chunked list updates from HQ to the posts."""
