"""The lane's radiation portal monitor: protocol, occupancies, alarm check, faults."""
