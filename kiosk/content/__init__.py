"""Verified content: phrasebook, glossary, FAQ, UI strings (load, validate, match)."""
