"""View models: the UI's decisions and state, with no Kivy import (tested directly)."""
