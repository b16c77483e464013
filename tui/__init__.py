"""The Textual console for officers, technicians and supervisors."""
