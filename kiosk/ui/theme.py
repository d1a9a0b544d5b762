"""Colours and sizes (plain numbers, no Kivy).  Sizes are dp at text_scale 1.0.

High contrast (dark text on light panels, white on dark blue buttons); meaning is
never carried by colour alone (icons and words go with every colour cue).
"""

# text sizes (dp; at 160 dpi 1 dp = 1 px): body ≥ 24, translations larger
SMALL = 24
BODY = 26
TITLE = 36
TRANSLATION = 42
HUGE = 56

# touch targets (dp; ≥ 48 = 9 mm at 160 dpi)
TARGET = 64
PTT = 88
PAD = 12

# colours (r, g, b, a)
BG = (0.96, 0.96, 0.94, 1)
PANEL = (1, 1, 1, 1)
VISITOR_BG = (0.93, 0.95, 1, 1)
TEXT = (0.05, 0.05, 0.08, 1)
MUTED = (0.25, 0.25, 0.3, 1)
BUTTON = (0.05, 0.22, 0.55, 1)
BUTTON_TEXT = (1, 1, 1, 1)
ACCENT = (0.75, 0.2, 0.05, 1)  # talk / listening
GOOD = (0.0, 0.4, 0.15, 1)
WARN_BG = (1, 0.93, 0.6, 1)
WARN_TEXT = (0.25, 0.15, 0, 1)
METER = (0.0, 0.45, 0.2, 1)
ATTRACT_BG = (0.05, 0.18, 0.4, 1)
OVERLAY = (0, 0, 0, 0.93)

# icons (in the registered font: Noto Sans CJK has these)
ICON_WARN = "⚠"
ICON_OK = "✓"
ICON_MIC = "●"
ICON_ARROW = "→"
