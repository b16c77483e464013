"""The HQ side: receiver, ingest and the HQ event database."""
