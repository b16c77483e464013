"""Device protocols and decoders: sans-IO parsers and thin I/O adapters."""
