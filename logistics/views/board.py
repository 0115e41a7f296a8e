"""The logistics pages: board."""
