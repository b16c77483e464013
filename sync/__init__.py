"""MQTT transport: uplink batches, watchlist downlink, the HQ receiver and wire formats."""
