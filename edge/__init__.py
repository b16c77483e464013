"""The Borderpost daemon: configuration, store, screening, lanes, local API and CLI."""

__version__ = "0.1.0"
