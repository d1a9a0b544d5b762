"""The Kivy touchscreen app (a plug-in over the core; nothing imports Kivy at import time)."""
