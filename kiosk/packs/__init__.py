"""Language packs: catalogue, install, verify, remove, export (no Kivy, no engines)."""
