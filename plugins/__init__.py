"""The hub's Pelican plugins, one package each; PLUGINS names them as plugins.<name>."""
