"""The local watchlist: entries, versioned SQLite store, importers and screening."""
