"""Mosquitto configuration templates and a helper that runs a real broker."""
