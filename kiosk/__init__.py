"""kiosk: an offline, multilingual translation kiosk for service counters.

Nothing happens at import time: no folders, no models, no Kivy window.
"""

__version__ = "0.1.0"
