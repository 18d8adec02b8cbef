"""Plain functions behind tasks.py: build, serve, catalogs. Tests call the same functions."""
